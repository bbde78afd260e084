"""The ``rncp-ld`` command line: a thin layer over the Python API.

Exit codes: 0 all good; 1 the run found problems (a fiche skipped, an input
unreadable); 2 it could not run as asked (usage, bad option, ``--strict`` stop).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .convert import OUTPUT_FORMATS, PROFILES
from .errors import ConfigError, FicheError, RncpLdError
from .rdf.serialize import format_from_name
from .report import Report
from .uris import DEFAULT_BASE

__all__ = ["main"]


class RunError(click.ClickException):
    """Unusable input or option: one line on stderr, exit 2."""

    exit_code = 2


class StoppedError(click.ClickException):
    """A bad fiche stopped a ``--strict`` run: one line on stderr, exit 1."""

    exit_code = 1


Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _inputs_argument(name: str = "inputs") -> Decorator:
    """One or more existing files named on the command line."""
    return click.argument(
        name, nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )


def _base_option(help: str) -> Decorator:
    """``--base``, the base of the minted IRIs; each command says what it is the base of."""
    return click.option("--base", default=DEFAULT_BASE, show_default=True, help=help)


def _folder_option(dest: str, help: str) -> Decorator:
    """``-o/--output``, a folder the command writes into, stored as ``dest``."""
    return click.option(
        "-o", "--output", dest, required=True, type=click.Path(file_okay=False, path_type=Path), help=help
    )


def _store_option(help: str) -> Decorator:
    """``--store``, the folder of an on-disk store."""
    return click.option(
        "--store", "store_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help=help
    )


def _strict_option() -> Decorator:
    return click.option("--strict", is_flag=True, help="Stop at the first bad fiche instead of skipping it.")


def _quiet_option(help: str = "Print problems only, no summary.") -> Decorator:
    return click.option("-q", "--quiet", is_flag=True, help=help)


@contextmanager
def _errors(*, strict: bool = False) -> Iterator[None]:
    """Turn the library's errors into click's: a one-line message and the module's exit codes.

    Any :class:`RncpLdError` is a :class:`RunError` (exit 2). With ``strict`` (the commands that
    take ``--strict``) a :class:`ConfigError` is a usage error (exit 2) and a :class:`FicheError`
    a :class:`StoppedError` (exit 1).
    """
    try:
        yield
    except RncpLdError as error:
        if strict and isinstance(error, ConfigError):
            raise click.UsageError(str(error)) from None
        if strict and isinstance(error, FicheError):
            raise StoppedError(f"stopped (--strict): {error}") from None
        raise RunError(str(error)) from None


def _losses(stats: dict[str, int]) -> list[str]:
    """The end of a run's summary: the fiches skipped and inputs unreadable, if any."""
    parts = []
    if stats.get("fiches-skipped"):
        parts.append(f"{stats['fiches-skipped']} skipped")
    if stats.get("inputs-unreadable"):
        parts.append(f"{stats['inputs-unreadable']} input(s) unreadable")
    return parts


def _summary(report: Report, output: str) -> str:
    stats = report.stats
    written = stats.get("fiches-written", 0)
    parts = [
        f"{written} fiche{'s' if written != 1 else ''} written",
        *(f"{stats[unit]:,} {unit}" for unit in ("triples", "qualifications") if unit in stats),
    ]
    parts += _losses(stats)
    target = "stdout" if output == "-" else output
    return f"{', '.join(parts)} → {target}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rncp-ld")
def cli() -> None:
    """Linked data for French professional certifications (RNCP and RS fiches)."""


@cli.command()
@_inputs_argument()
@click.option(
    "-o",
    "--output",
    required=True,
    help="Output file (.nt, .ttl, .jsonld, .rdf, .loq.xml; .gz to compress), or - for stdout.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(OUTPUT_FORMATS),
    help="RDF format, or loq (Europass qualification-upload XML); inferred from the output's extension.",
)
@click.option(
    "--profile",
    type=click.Choice(sorted(PROFILES)),
    default="rncp",
    show_default=True,
    help="RDF content: the full RNCP graph, or its ELM-only projection (Europass LOQ profile).",
)
@_base_option("Base of the IRIs minted for fiches, blocks and concepts.")
@_strict_option()
@_quiet_option()
def convert(
    inputs: tuple[Path, ...], output: str, fmt: str | None, profile: str, base: str, strict: bool, quiet: bool
) -> None:
    """Convert fiches to RDF aligned with ELM, ESCO, ROME, NSF and EQF.

    INPUTS are legacy fiche texts (.txt), France Compétences XML exports (.xml, or
    zipped) and CSV exports (.zip), in any mix. A bad fiche is reported with its
    number and position, skipped, and the exit code is 1.
    """
    from .convert import convert as run

    if fmt is None and output != "-" and format_from_name(output) is None:
        raise click.BadParameter(
            f"cannot infer the format of {output!r}; give --format ({', '.join(OUTPUT_FORMATS)})",
            param_hint="'-o'",
        )
    with _errors(strict=True):
        report = run(inputs, output, format=fmt, base=base, profile=profile, strict=strict)
    for issue in report.issues:
        click.echo(str(issue), err=True)
    if not quiet:
        click.echo(_summary(report, output), err=True)
    sys.exit(_exit_code(report))


@cli.command()
@_inputs_argument()
@click.option(
    "--shapes",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes file (repeatable); default: the shapes shipped with rncp-ld.",
)
@click.option(
    "--xsd",
    metavar="PATH",
    help="The official Europass loq.xsd (with its cv/ and external/ folders beside it), or a folder "
    "holding it, for LOQ XML inputs  [default: the official one if in the artefact cache]",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "junit", "turtle")),
    default="text",
    show_default=True,
    help="text for people, json or junit for pipelines, turtle for a SHACL sh:ValidationReport.",
)
@click.option("-o", "--output", default="-", show_default=True, help="Write the report to this file.")
@_base_option("Base of the IRIs minted for fiches, and of relative IRIs in the shapes.")
@click.option(
    "-j",
    "--processes",
    type=click.IntRange(min=1),
    help="Worker processes for fiche sources  [default: one per core]",
)
@_quiet_option("No progress bar, no summary on stderr.")
def validate(
    inputs: tuple[Path, ...],
    shapes: tuple[Path, ...],
    xsd: str | None,
    fmt: str,
    output: str,
    base: str,
    processes: int | None,
    quiet: bool,
) -> None:
    """Validate RDF files, fiche sources and Europass LOQ XML documents.

    INPUTS are RDF files (.ttl, .nt, .jsonld, .rdf, .owl, also gzipped), validated
    against SHACL shapes; fiche sources (.txt, XML or CSV exports, .zip), converted
    and validated fiche by fiche on all cores; LOQ XML documents, validated against
    the XSD given with --xsd. Exit code: 0 valid (warnings allowed), 1 not valid,
    2 an input, the shapes or an option is unusable.
    """
    from .validation import render, summary
    from .validation import validate as run

    progress = None
    if not quiet and sys.stderr.isatty():
        progress = click.progressbar(
            iterable=itertools.repeat(None), label="Validating", show_pos=True, file=sys.stderr
        )
        progress.__enter__()
    try:
        with _errors():
            report = run(
                inputs,
                shapes=shapes,
                xsd=xsd,
                base=base,
                processes=processes,
                on_fiche=(lambda: progress.update(1)) if progress else None,
                on_notice=lambda line: click.echo(f"note: {line}", err=True),
            )
    finally:
        if progress:
            progress.__exit__(None, None, None)
    text = render(report, fmt, base=base)
    if output == "-":
        click.echo(text, nl=False)
    else:
        _write(Path(output), text)
    if not quiet and (fmt != "text" or output != "-"):
        click.echo(summary(report), err=True)
    sys.exit(2 if report.stats.get("inputs-unreadable") else 0 if report.valid else 1)


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _exit_code(report: Report) -> int:
    """0 all written, 1 a fiche was skipped, 2 an input could not be read at all."""
    if report.stats.get("inputs-unreadable"):
        return 2
    return 0 if report.valid else 1


@cli.group()
def keys() -> None:
    """Signing keys and certificates of a certifier."""


@keys.command("generate")
@_folder_option("out_dir", "Folder for key.pem and cert.pem.")
@click.option("--org-name", required=True, help="Legal name of the organisation (subject O and CN).")
@click.option("--org-id", required=True, help="organizationIdentifier, e.g. NTRFR-<SIREN>.")
@click.option("--country", required=True, help="ISO 3166 country code of the organisation, e.g. FR.")
@click.option(
    "--alg",
    type=click.Choice(["ES256", "RS256", "EdDSA"]),
    default="ES256",
    show_default=True,
    help="Key and signature algorithm: ES256 or RS256 for the Europass seals, EdDSA (Ed25519) for --profile vc2.",
)
@click.option(
    "--passphrase-env",
    metavar="NAME",
    help="Encrypt key.pem with the passphrase held in this environment variable.",
)
@click.option(
    "--valid-days",
    type=click.IntRange(1, 3650),
    default=1095,
    show_default=True,
    help="Validity of the certificate.",
)
@click.option("--force", is_flag=True, help="Overwrite key.pem and cert.pem if they exist.")
def keys_generate(
    out_dir: Path,
    org_name: str,
    org_id: str,
    country: str,
    alg: str,
    passphrase_env: str | None,
    valid_days: int,
    force: bool,
) -> None:
    """Write a private key (key.pem, mode 0600) and a self-signed eSeal-like certificate (cert.pem).

    For tests and pilots: a real certifier passes its own qualified key and certificate.
    """
    try:
        from .credentials import keys as keystore

        key_path, cert_path = keystore.generate(
            out_dir,
            org_name=org_name,
            org_id=org_id,
            country=country,
            alg=alg,
            passphrase_env=passphrase_env,
            valid_days=valid_days,
            force=force,
        )
    except ConfigError as error:
        raise RunError(str(error)) from None
    click.echo(f"wrote {key_path} and {cert_path}", err=True)


@cli.command("issue")
@click.argument("fiche", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_folder_option("out_dir", "Folder of the credentials (one sub-folder per candidate).")
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The certifier's private key (PEM).",
)
@click.option(
    "--cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The certifier's certificate (PEM), with its chain.",
)
@click.option("--passphrase-env", metavar="NAME", help="Environment variable holding the key's passphrase.")
@click.option(
    "--format",
    "formats",
    default="jsonld,xml",
    show_default=True,
    help="Comma-separated: jsonld (EDC, JAdES seal), xml (Europass XML, XAdES seal).",
)
@click.option(
    "--issuer-config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file whose [issuer] table overrides the fiche's certifier (legal_name, siret, country, homepage).",
)
@click.option(
    "--profile",
    type=click.Choice(["edc", "vc2"]),
    default="edc",
    show_default=True,
    help="edc: Europass credentials (JSON-LD and XML, sealed); vc2: Open Badges 3.0 / W3C VC 2.0 with an eddsa-rdfc-2022 proof (EdDSA key).",
)
@click.option(
    "--ob3-context",
    multiple=True,
    help="Local copy of the Open Badges 3.0.3 JSON-LD context (vc2); default: the artefact cache.",
)
@click.option(
    "--credentials-v2-context",
    multiple=True,
    help="Local copy of the W3C VC 2.0 context (vc2); default: the artefact cache.",
)
@click.option(
    "--unsigned",
    is_flag=True,
    help="Write bare credentials for an external sealing service (no --key needed).",
)
@_base_option("Base of the IRIs of certifications and blocks.")
@click.option(
    "--no-render",
    is_flag=True,
    hidden=True,
    help="Embed a placeholder instead of the rendered page (benchmarks only).",
)
def issue_command(
    fiche: Path,
    results: Path,
    out_dir: Path,
    key: Path | None,
    cert: Path | None,
    passphrase_env: str | None,
    formats: str,
    issuer_config: Path | None,
    profile: str,
    ob3_context: tuple[str, ...],
    credentials_v2_context: tuple[str, ...],
    unsigned: bool,
    base: str,
    no_render: bool,
) -> None:
    """Issue a sealed Europass credential for each block a candidate acquired.

    FICHE is the certification's fiche (legacy text, XML export or CSV zip); RESULTS the
    jury's results CSV. Refused rows are reported and the others issued (exit code 1).
    """
    from .credentials.issuing import issue

    shown = click.progressbar(length=0, label="issuing", file=sys.stderr) if sys.stderr.isatty() else None
    try:
        with _errors():
            report = issue(
                fiche,
                results,
                out_dir,
                key=key,
                cert=cert,
                passphrase_env=passphrase_env,
                formats=[f.strip() for f in formats.split(",") if f.strip()],
                unsigned=unsigned,
                issuer_config=issuer_config,
                profile=profile,
                ob3_context=ob3_context,
                credentials_v2_context=credentials_v2_context,
                base=base,
                render=not no_render,
                on_credential=(lambda _: shown.update(1)) if shown else None,
            )
    finally:
        if shown:
            shown.render_finish()
    for problem in report.issues:
        click.echo(str(problem), err=True)
    stats = report.stats
    click.echo(
        f"{stats.get('credentials-issued', 0)} issued, {stats.get('credentials-skipped', 0)} skipped (already issued), "
        f"{stats.get('blocks-not-acquired', 0)} blocks not acquired, {len(report.errors)} errors → {out_dir}",
        err=True,
    )
    sys.exit(0 if report.valid else 1)


@cli.command("verify")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    "trust",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust anchor (PEM, possibly several certificates, or DER); repeatable. Without it no "
    "certificate is trusted and no credential passes.",
)
@click.option(
    "--edc-shapes",
    "edc_shapes",
    multiple=True,
    metavar="PATH",
    help="The EDC shapes: a copy of the ELM rdf/ap/edc folder, or the files (repeatable)  "
    "[default: the official ones if in the artefact cache]",
)
@click.option(
    "--xsd",
    metavar="PATH",
    help="The Europass XML Schema (genericschema.xsd, its imports beside it)  "
    "[default: the official one if in the artefact cache]",
)
@click.option(
    "--context",
    "contexts",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A JSON-LD context file (W3C credentials v1 or v2, ELM edc-ap, Open Badges 3.0), recognised by its terms; "
    "repeatable  [default: the official ones if in the artefact cache]",
)
@click.option(
    "--at",
    metavar="DATETIME",
    help="Verify as of this time (ISO 8601; UTC without a zone), for reproducible checks  [default: now]",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text: one line per credential; json: the list of per-credential results.",
)
def verify_command(
    files: tuple[Path, ...],
    trust: tuple[Path, ...],
    edc_shapes: tuple[str, ...],
    xsd: str | None,
    contexts: tuple[str, ...],
    at: str | None,
    fmt: str,
) -> None:
    """Verify sealed credentials: seal, trust, issuer, conformance and validity dates.

    FILES are JAdES-sealed EDC JSON-LD, XAdES-sealed Europass XML, or VC 2.0 JSON-LD with a
    Data Integrity proof. One line per credential, with every reason it fails. Exit code: 0
    all pass, 1 one fails, 2 one could not be checked (unreadable, not a credential, a
    conformance artefact missing) or an option is unusable.
    """
    from .credentials.verify import parse_moment, verify

    with _errors():
        verification = verify(
            files,
            trusted=trust,
            edc_shapes=edc_shapes,
            xsd=(xsd,) if xsd else (),
            contexts=contexts,
            at=parse_moment(at) if at else None,
        )
    click.echo(verification.to_json() if fmt == "json" else verification.to_text(), nl=fmt == "json")
    sys.exit(verification.exit_code)


@cli.group("store")
def store_group() -> None:
    """An embedded triple store on disk (Oxigraph): one named graph per fiche."""


@store_group.command("load")
@_inputs_argument("sources")
@_store_option("Folder of the store (created if needed).")
@_base_option("Base of the IRIs minted for fiches and blocks.")
@_quiet_option()
def store_load(sources: tuple[Path, ...], store_dir: Path, base: str, quiet: bool) -> None:
    """Convert fiche SOURCES and bulk-load them into the store, one named graph per fiche
    (named by the certification's IRI). A fiche loaded again replaces its graph."""
    from .publish.store import load

    with _errors():
        report = load(sources, store_dir, base=base)
    for problem in report.issues:
        click.echo(str(problem), err=True)
    if not quiet:
        stats = report.stats
        parts = [f"{stats.get('fiches-loaded', 0)} fiches loaded", f"{stats.get('triples', 0):,} triples"]
        if stats.get("graphs-replaced"):
            parts.append(f"{stats['graphs-replaced']} graphs replaced")
        parts += _losses(stats)
        click.echo(f"{', '.join(parts)} → {store_dir}", err=True)
    sys.exit(_exit_code(report))


@store_group.command("query")
@click.argument("query_arg", metavar="QUERY")
@_store_option("Folder of the store.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(("table", "csv", "json")),
    default="table",
    show_default=True,
    help="table for people; csv, json: SPARQL 1.1 results (a CONSTRUCT gives N-Triples, CSV rows, JSON-LD).",
)
@click.option(
    "--union/--no-union",
    default=True,
    show_default=True,
    help="The default graph is the union of all fiche graphs (else only the store's default graph).",
)
def store_query(query_arg: str, store_dir: Path, fmt: str, union: bool) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store.

    QUERY is the query text, @FILE, or @- for stdin. The usual prefixes (elm:, dct:,
    skos:, schema:, rncp:…) are predeclared. Exit code 2 for a bad query or no store.
    """
    from .publish.store import query, query_text

    with _errors():
        answer = query(query_text(query_arg), store_dir, union=union)
        click.echo(answer.render(fmt), nl=False)


@cli.command("serve")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of a store (`rncp-ld store load`) to answer SPARQL queries at /sparql, read-only.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option(
    "--query-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds a SPARQL query may spend producing results (checked between rows) before a 503.",
)
def serve_command(site: Path, store_dir: Path | None, host: str, port: int, query_timeout: float) -> None:
    """Serve a SITE written by `rncp-ld publish` as linked data, until Ctrl-C.

    Each IRI's page, Turtle, JSON-LD, RDF/XML or N-Triples is chosen from the Accept
    header (Vary, ETag, 304, 404, 406); with --store, /sparql answers SPARQL 1.1 queries.
    """
    from .publish.serve import open_store, serve

    try:
        store = open_store(store_dir) if store_dir else None
    except OSError as error:
        raise RunError(str(error)) from None
    try:
        serve(site, store, host=host, port=port, query_timeout=query_timeout)
    except OSError as error:
        raise RunError(f"cannot serve on {host}:{port}: {error}") from None


@cli.command("publish")
@_inputs_argument()
@_folder_option("site", "Site folder; a previous publish there is updated incrementally.")
@_base_option("IRI of the site's root (ends with /); must stay the same between publishes.")
@click.option(
    "--now",
    metavar="DATETIME",
    help="Clock of the run, ISO 8601 (feed timestamps, catalogue dates)  [default: the system's UTC time]",
)
@click.option(
    "--page-size",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Members per page of the change feed.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Also push each fiche's graph to this SPARQL 1.1 Graph Store endpoint (replacing it); "
    "a journal in the site lets a second run finish what failed.",
)
@_strict_option()
@_quiet_option()
def publish_command(
    inputs: tuple[Path, ...],
    site: Path,
    base: str,
    now: str | None,
    page_size: int,
    endpoint: str | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Publish fiches as a static linked-data site any web server can host.

    Each certification and block gets its HTML page and its Turtle, JSON-LD, RDF/XML and
    N-Triples at the path of its IRI; the site also holds the whole register (N-Triples,
    gzip), the Europass LOQ XML, a DCAT-AP 3 catalogue, VoID, and a change feed (LDES).
    Only fiches whose content changed are rewritten. Exit code: 0 done, 1 a fiche was
    skipped, 2 an option or input is unusable.
    """
    from datetime import datetime

    from .publish import publish

    try:
        moment = datetime.fromisoformat(now.replace("Z", "+00:00")) if now else None
    except ValueError:
        raise click.BadParameter(f"{now!r} is not an ISO 8601 date-time", param_hint="'--now'") from None
    with _errors(strict=True):
        result = publish(inputs, site, base=base, now=moment, page_size=page_size, strict=strict)
    for issue in result.report.issues:
        click.echo(str(issue), err=True)
    if not quiet:
        click.echo(f"{result.summary()} → {site}", err=True)
    code = _exit_code(result.report)
    if endpoint:
        code = max(code, _push(inputs, site, base, endpoint, quiet=quiet))
    sys.exit(code)


def _push(inputs: tuple[Path, ...], site: Path, base: str, endpoint: str, *, quiet: bool) -> int:
    """Push every fiche's graph to ``endpoint``; 1 when one could not be pushed."""
    import hashlib

    from .publish import fiche_ntriples
    from .publish.gsp import push

    journal = site / ".rncp-ld" / f"push-{hashlib.sha256(endpoint.encode()).hexdigest()[:16]}.jsonl"
    pushed = push(
        ((str(iri), text) for iri, text in fiche_ntriples(inputs, base=base)), endpoint, journal=journal
    )
    report = pushed.to_report()
    for issue in report.issues:
        click.echo(str(issue), err=True)
    if not quiet:
        click.echo(
            f"{len(pushed.pushed)} graphs pushed, {len(pushed.unchanged)} unchanged, {len(pushed.failed)} not pushed → {endpoint}",
            err=True,
        )
    return 0 if pushed.ok else 1


def main() -> None:
    """Entry point of the ``rncp-ld`` script."""
    cli(prog_name="rncp-ld")
