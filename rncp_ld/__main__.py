"""``python -m rncp_ld`` runs the CLI."""

from .cli import main

main()
