"""The ``issue`` job: a jury's results → sealed Europass credentials, one folder per candidate.

For each acquired block (and each certification acquired whole) it writes, under
``OUT/<candidate_id>/``, ``<code>.jsonld`` (the EDC JSON-LD sealed with JAdES, or bare with
``unsigned``) and ``<code>.xml`` (the Europass XML credential with its XAdES seal). Files are
written atomically. A credential whose file already holds the same credential id is left
alone and counted as skipped, so re-running the same results issues nothing twice.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import readers
from ..errors import ConfigError, InputError
from ..model import Certification
from ..readers.results import read_results
from ..report import Issue, Report
from ..uris import DEFAULT_BASE, Minter, escape
from ..writers import edc_jsonld, europass_xml
from . import jades, xades
from .plan import PlannedCredential, plan

__all__ = ["FORMATS", "PROFILES", "Sealer", "issue"]

FORMATS = ("jsonld", "xml")
"""Outputs of the ``edc`` profile; the ``vc2`` profile writes ``<code>.ob3.json``."""
PROFILES = ("edc", "vc2")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Sealer:
    """The certifier's key and certificate; None in both for unsigned credentials."""

    key: object | None
    certificate: object | None
    chain: tuple[object, ...] = ()

    @classmethod
    def load(
        cls, key: Path | None, cert: Path | None, passphrase_env: str | None, *, unsigned: bool, at: datetime
    ) -> Sealer:
        """Load the certificate, and the key unless ``unsigned``; the certificate must be valid ``at``.

        The certificate is needed even unsigned: its organizationIdentifier is the issuer's
        eIDAS identifier in the credential.
        """
        if cert is None:
            raise ConfigError(
                "the certifier's certificate is needed (its organizationIdentifier is the issuer's eIDAS identifier)",
                expected="--cert",
            )
        if unsigned:
            from cryptography import x509

            return cls(None, x509.load_pem_x509_certificate(Path(cert).read_bytes()))
        if key is None:
            raise ConfigError("sealing needs the certifier's private key", expected="--key, or --unsigned")
        from . import keys

        loaded = keys.load(key, cert, passphrase_env, clock=lambda: at)
        return cls(loaded.private_key, loaded.certificate, loaded.chain)

    @property
    def organization_identifier(self) -> str | None:
        if self.certificate is None:
            return None
        from .keys import organization_identifier

        return organization_identifier(self.certificate)  # type: ignore[arg-type]


@dataclass
class _Run:
    out_dir: Path
    formats: tuple[str, ...]
    sealer: Sealer
    issuer: edc_jsonld.Issuer
    minter: Minter
    issued: datetime
    render: bool
    contexts: object = None
    """JSON-LD contexts of the vc2 profile (VC 2.0 and OB 3.0.3)."""
    report: Report = field(default_factory=Report)


def _folder(candidate_id: str) -> str:
    """A file-system-safe folder name for a candidate id (never ``..`` nor a path)."""
    return (
        candidate_id
        if _SAFE_NAME.fullmatch(candidate_id) and ".." not in candidate_id
        else escape(candidate_id).replace(".", "%2E")
    )


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _already_issued(path: Path, credential_id: str) -> bool:
    """True when ``path`` exists and holds the credential ``credential_id`` (a unique UUID URN)."""
    try:
        return credential_id.encode() in path.read_bytes()
    except FileNotFoundError:
        return False


def _jsonld(run: _Run, planned: PlannedCredential) -> bytes:
    common = dict(
        credential_id=planned.id,
        certification=planned.certification,
        issuer=run.issuer,
        issued=run.issued,
        minter=run.minter,
        render=run.render,
    )
    if planned.block is None:
        credential = edc_jsonld.certification_credential(
            results=planned.results, part_ids=planned.parts, **common
        )  # type: ignore[arg-type]
    else:
        credential = edc_jsonld.block_credential(block=planned.block, result=planned.results[0], **common)  # type: ignore[arg-type]
    payload = edc_jsonld.to_json(credential)
    if run.sealer.key is None:
        return payload.encode("utf-8")
    sealed = jades.seal(
        payload,
        run.sealer.key,
        run.sealer.certificate,
        run.sealer.chain,
        signing_time=run.issued,  # type: ignore[arg-type]
    )
    return sealed.encode("utf-8")


def _xml(run: _Run, planned: PlannedCredential) -> bytes:
    document = europass_xml.credential_xml(
        credential_id=planned.id,
        certification=planned.certification,
        block=planned.block,
        result=planned.results if planned.block is None else planned.results[0],
        issuer=run.issuer,
        issued=run.issued,
        minter=run.minter,
        parts=planned.parts,
    )
    if run.sealer.key is None:
        return europass_xml.to_bytes(document)
    return xades.seal_xml(document, run.sealer.key, run.sealer.certificate, signing_time=run.issued)  # type: ignore[arg-type]


def _ob3(run: _Run, planned: PlannedCredential) -> bytes:
    from ..writers import ob3

    if run.sealer.key is None:
        from .did_key import did_key

        credential = ob3.achievement_credential(
            credential_id=planned.id,
            certification=planned.certification,
            block=planned.block,
            results=planned.results,
            issuer=run.issuer,
            issued=run.issued,
            minter=run.minter,
            issuer_did=did_key(run.sealer.certificate.public_key()),  # type: ignore[attr-defined]
        )
    else:
        credential = ob3.vc2_credential(
            planned,
            issuer=run.issuer,
            issued=run.issued,
            minter=run.minter,
            key=run.sealer.key,
            contexts=run.contexts,  # type: ignore[arg-type]
        )
    return ob3.to_json(credential).encode("utf-8")


_BUILDERS: dict[str, Callable[[_Run, PlannedCredential], bytes]] = {
    "jsonld": _jsonld,
    "xml": _xml,
    "ob3.json": _ob3,
}


def _issue_one(run: _Run, planned: PlannedCredential) -> None:
    folder = run.out_dir / _folder(planned.candidate.id)
    written = skipped = 0
    for fmt in run.formats:
        path = folder / f"{planned.code}.{fmt}"
        if _already_issued(path, planned.id):
            skipped += 1
            continue
        _write_atomic(path, _BUILDERS[fmt](run, planned))
        written += 1
    run.report.count("credentials-issued" if written else "credentials-skipped")


def _certifications(fiche: Path, wanted: set[str], report: Report) -> list[Certification]:
    """The fiches of ``fiche`` that the results name (the rest is not kept in memory)."""
    found = []
    for item in readers.read(fiche):
        if isinstance(item, Issue):
            if item.fiche in wanted:
                report.issues.append(item)
        elif item.number in wanted:
            found.append(item)
    return found


def issue(
    fiche: Path | str,
    results: Path | str,
    out_dir: Path | str,
    *,
    key: Path | str | None = None,
    cert: Path | str | None = None,
    passphrase_env: str | None = None,
    formats: Iterable[str] = FORMATS,
    profile: str = "edc",
    ob3_context: Sequence[str] = (),
    credentials_v2_context: Sequence[str] = (),
    unsigned: bool = False,
    issuer_config: Path | str | None = None,
    base: str = DEFAULT_BASE,
    render: bool = True,
    now: datetime | None = None,
    on_credential: Callable[[PlannedCredential], None] | None = None,
) -> Report:
    """Issue the credentials of the acquired blocks of ``results`` for the fiche(s) of ``fiche``.

    The ``edc`` profile writes the Europass credentials of ``formats`` (``jsonld`` sealed with
    JAdES, ``xml`` with XAdES; ES256 or RS256 key); the ``vc2`` profile writes Open Badges 3.0
    credentials (W3C VC 2.0) with an ``eddsa-rdfc-2022`` proof (EdDSA key); their JSON-LD
    contexts come from ``ob3_context`` and ``credentials_v2_context`` (paths), else the
    artefact cache.

    Returns:
        The report: stats ``credentials-issued``, ``credentials-skipped`` (already there),
        ``blocks-not-acquired``; ``valid`` is False when a row was refused.

    Raises:
        ConfigError: bad formats, key, certificate or issuer config.
        InputError: unreadable fiche or results file.
    """
    if profile not in PROFILES:
        raise ConfigError(f"unknown profile {profile!r}", expected=", ".join(PROFILES))
    formats = tuple(dict.fromkeys(formats))
    if not formats or set(formats) - set(FORMATS):
        raise ConfigError(f"unknown format(s) {', '.join(formats)}", expected=", ".join(FORMATS))
    loaded_contexts = None
    if profile == "vc2":
        from ..writers import ob3

        formats = ("ob3.json",)
        loaded_contexts = ob3.load_contexts(ob3_context=ob3_context, credentials_v2=credentials_v2_context)
    issued = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    sealer = Sealer.load(
        Path(key) if key else None, Path(cert) if cert else None, passphrase_env, unsigned=unsigned, at=issued
    )
    overrides = edc_jsonld.load_issuer_config(issuer_config) if issuer_config else {}
    rows = list(read_results(results))
    wanted = {r.certification for r in rows if not isinstance(r, Issue)}
    report = Report()
    certifications = _certifications(Path(fiche), wanted, report)
    if not certifications:
        raise InputError(
            f"the fiche source holds none of the certifications of the results ({', '.join(sorted(wanted)) or 'none'})",
            source=Path(fiche).name,
        )
    eidas = sealer.organization_identifier
    if not eidas:
        raise ConfigError(
            "the certificate has no organizationIdentifier (2.5.4.97), the issuer's eIDAS identifier"
        )
    issuer = edc_jsonld.issuer_from(certifications[0], overrides, eidas)
    planned = plan(certifications, rows, issuer_id=eidas, source=Path(results).name)
    report.issues.extend(planned.issues)
    report.count("blocks-not-acquired", len(planned.not_acquired))
    run = _Run(Path(out_dir), formats, sealer, issuer, Minter(base), issued, render, loaded_contexts, report)
    for credential in planned.credentials:
        _issue_one(run, credential)
        if on_credential:
            on_credential(credential)
    return report
