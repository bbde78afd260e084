"""Credentials for the blocks of competences a candidate validates.

:mod:`.plan` decides what to issue from a jury's results (no third-party dependency);
:mod:`.keys` generates and loads the certifier's signing key and X.509 certificate and
needs ``cryptography`` (imported only when :mod:`rncp_ld.credentials.keys` is).
"""

from __future__ import annotations

from .plan import Plan, PlannedCredential, access_route_kind, credential_id, plan

__all__ = ["Plan", "PlannedCredential", "access_route_kind", "credential_id", "plan"]
