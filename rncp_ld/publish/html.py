"""HTML pages of the site: one per certification and block, the index, tombstones.

Pages are self-contained (inline CSS, no script but the embedded JSON-LD), ``lang="fr"``,
readable on a phone (``viewport`` meta, fluid layout), with links to every RDF format of
the node. They are rendered from the model; the graph itself is embedded as JSON-LD.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from ..model import Block, Certification

__all__ = ["block_page", "certification_page", "index_page", "tombstone_page"]

FORMAT_LINKS = (
    ("index.ttl", "text/turtle", "Turtle"),
    ("index.jsonld", "application/ld+json", "JSON-LD"),
    ("index.rdf", "application/rdf+xml", "RDF/XML"),
    ("index.nt", "application/n-triples", "N-Triples"),
)

_CSS = """
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--line:#ddd;--accent:#000091}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;--muted:#aaa;--line:#333;--accent:#8b9eff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:48rem;padding:1rem;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--accent)}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line)}h3{font-size:1.05rem}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
@media (max-width:32rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
.muted,nav{color:var(--muted);font-size:.9rem}
section.block{border:1px solid var(--line);border-radius:.5rem;padding:0 1rem 1rem;margin:1rem 0}
ul.formats{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
ul.formats a{display:inline-block;padding:.25rem .6rem;border:1px solid var(--line);border-radius:1rem;text-decoration:none}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid var(--line);vertical-align:top}
"""


def _json_script(jsonld: str) -> str:
    """``jsonld`` inside a script element: ``</`` and ``<!--`` cannot end or break it."""
    safe = jsonld.replace("</", "<\\/").replace("<!--", "<\\u0021--")
    return f'<script type="application/ld+json">\n{safe}</script>\n'


def _page(
    title: str,
    body: str,
    *,
    home: str,
    url: str | None = None,
    iri: str | None = None,
    jsonld: str | None = None,
    robots: str | None = None,
) -> str:
    head = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
    ]
    if robots:
        head.append(f'<meta name="robots" content="{robots}">')
    if iri:
        head.append(f'<link rel="canonical" href="{escape(iri)}">')
        head.extend(
            f'<link rel="alternate" type="{mime}" href="{url or ""}{name}" title="{label}">'
            for name, mime, label in FORMAT_LINKS
        )
    head.append(f"<style>{_CSS}</style>")
    if jsonld is not None:
        head.append(_json_script(jsonld).rstrip("\n"))
    head.append("</head>")
    return (
        "\n".join(head)
        + f'\n<body>\n<nav><a href="{home}">Registre RNCP / RS</a></nav>\n<main>\n{body}</main>\n</body>\n</html>\n'
    )


def _list(items: Iterable[str], cls: str = "") -> str:
    rows = "".join(f"<li>{escape(item)}</li>\n" for item in items)
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n{rows}</ul>\n" if rows else ""


def _paragraphs(text: str | None) -> str:
    if not text:
        return ""
    return "".join(f"<p>{escape(p.strip())}</p>\n" for p in text.split("\n") if p.strip())


def _formats(iri: str, url: str) -> str:
    links = "".join(
        f'<li><a href="{url}{name}" type="{mime}">{label}</a></li>' for name, mime, label in FORMAT_LINKS
    )
    return (
        '<h2 id="donnees">Données</h2>\n'
        f'<p>Identifiant : <code>{escape(iri)}</code></p>\n<ul class="formats">{links}</ul>\n'
    )


def _competences(block: Block) -> str:
    parts = []
    if block.competences:
        parts.append("<h4>Compétences</h4>\n" + _list(block.competences))
    elif block.competences_text:
        parts.append("<h4>Compétences</h4>\n" + _paragraphs(block.competences_text))
    if block.capacities and block.capacities.items:
        parts.append("<h4>Capacités attestées</h4>\n" + _list(block.capacities.items))
    if block.assessments:
        parts.append("<h4>Modalités d'évaluation</h4>\n" + _list(block.assessments))
    elif block.assessments_text:
        parts.append("<h4>Modalités d'évaluation</h4>\n" + _paragraphs(block.assessments_text))
    return "".join(parts)


def _level(cert: Certification) -> str | None:
    if cert.level_label:
        return cert.level_label
    if cert.level is not None:
        return f"Niveau {cert.level} (CEC {cert.level})"
    return f"Niveau {cert.level_1969} (nomenclature de 1969)" if cert.level_1969 else None


def _period(start: date | None, end: date | None) -> str:
    """A registration period in French words, dates as dd/mm/yyyy."""
    if start and end:
        return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"
    if end:
        return f"jusqu'au {end:%d/%m/%Y}"
    return f"à partir du {start:%d/%m/%Y}" if start else "dates non indiquées"


def _dates(cert: Certification) -> list[str]:
    out = [_period(period.start, period.end) for period in cert.registrations]
    if not out and (cert.effective_date or cert.end_date):
        out.append(_period(cert.effective_date, cert.end_date))
    return out


def certification_page(
    cert: Certification, iri: str, blocks: dict[str, str], jsonld: str, *, home: str, url: str
) -> str:
    """The page of one certification at ``url`` (a path ending with ``/``); ``blocks`` maps each
    block code to the path of its page. Links are absolute paths: the page reads the same
    served at its IRI, at ``…/`` or at ``…/index.html``."""
    facts: list[tuple[str, str]] = [("Numéro", escape(cert.number))]
    if cert.abbreviation:
        facts.append(("Type", escape(cert.abbreviation.label or cert.abbreviation.code)))
    level = _level(cert)
    if level:
        facts.append(("Niveau", escape(level)))
    if cert.certifiers:
        facts.append(("Certificateur", "<br>".join(escape(c.name) for c in cert.certifiers)))
    if cert.status:
        facts.append(("État", escape(cert.status)))
    dates = _dates(cert)
    if dates:
        facts.append(("Enregistrement", "<br>".join(escape(d) for d in dates)))
    if cert.rome:
        facts.append(
            ("ROME", "<br>".join(escape(f"{c.code} — {c.label}" if c.label else c.code) for c in cert.rome))
        )
    if cert.nsf:
        facts.append(
            ("NSF", "<br>".join(escape(f"{c.code} — {c.label}" if c.label else c.code) for c in cert.nsf))
        )
    if cert.formacodes:
        facts.append(
            (
                "Formacode",
                "<br>".join(escape(f"{c.code} — {c.label}" if c.label else c.code) for c in cert.formacodes),
            )
        )
    body = [f"<h1>{escape(cert.title)}</h1>\n", "<dl>\n"]
    body.extend(f"<dt>{label}</dt><dd>{value}</dd>\n" for label, value in facts)
    body.append("</dl>\n")
    if cert.objectives:
        body.append("<h2>Objectifs et contexte</h2>\n" + _paragraphs(cert.objectives))
    if cert.activities or cert.activities_text:
        body.append(
            "<h2>Activités visées</h2>\n"
            + (_list(cert.activities) if cert.activities else _paragraphs(cert.activities_text))
        )
    if cert.blocks:
        body.append("<h2>Blocs de compétences</h2>\n")
        for block in cert.blocks:
            link = blocks.get(block.code)
            heading = escape(f"{block.code} — {block.title}")
            if link:
                heading = f'<a href="{link}">{heading}</a>'
            optional = ' <span class="muted">(facultatif)</span>' if block.optional else ""
            body.append(
                f'<section class="block" id="{escape(block.code)}">\n<h3>{heading}{optional}</h3>\n'
                + _competences(block)
                + "</section>\n"
            )
    elif cert.capacities:
        body.append("<h2>Compétences attestées</h2>\n" + _list(cert.capacities))
    body.append(_formats(iri, url))
    return _page(f"{cert.number} — {cert.title}", "".join(body), home=home, url=url, iri=iri, jsonld=jsonld)


def block_page(
    cert: Certification, block: Block, iri: str, jsonld: str, *, home: str, url: str, parent: str
) -> str:
    """The page of one block of ``cert`` at ``url``; ``parent`` is the certification's page."""
    body = [
        f"<h1>{escape(block.title)}</h1>\n<dl>\n",
        f"<dt>Code</dt><dd>{escape(block.code)}</dd>\n",
        f'<dt>Certification</dt><dd><a href="{parent}">{escape(cert.number)} — {escape(cert.title)}</a></dd>\n',
    ]
    if block.optional:
        body.append("<dt>Statut</dt><dd>Bloc facultatif</dd>\n")
    body.append("</dl>\n")
    body.append(_competences(block).replace("<h4>", "<h2>").replace("</h4>", "</h2>"))
    body.append(_formats(iri, url))
    return _page(f"{block.code} — {block.title}", "".join(body), home=home, url=url, iri=iri, jsonld=jsonld)


def tombstone_page(number: str, iri: str, title: str | None, when: str, home: str) -> str:
    """What stays at the path of a withdrawn fiche (or block): it was here, it is gone."""
    name = escape(f"{number} — {title}" if title else number)
    body = (
        f"<h1>{name}</h1>\n<p><strong>Retiré du registre publié</strong> le {escape(when)} "
        "(HTTP 410 Gone).</p>\n"
        f"<p>Identifiant : <code>{escape(iri)}</code></p>\n"
        f'<p>L\'historique des versions est dans le <a href="{home}feed/index.ttl">'
        "flux des changements</a>.</p>\n"
    )
    return _page(f"{number} — retiré", body, home=home, robots="noindex")


def index_page(rows: Iterable[tuple[str, str, str, str]], counts: dict[str, int], home: str) -> str:
    """The site's home: every certification (number, title, level, link), and the downloads."""
    table = "".join(
        f'<tr><td><a href="{escape(link)}">{escape(number)}</a></td><td>{escape(title)}</td><td>{escape(level)}</td></tr>\n'
        for number, title, level, link in rows
    )
    summary = ", ".join(f"{n} {label}" for label, n in counts.items())
    body = (
        "<h1>Registre des certifications professionnelles (RNCP / RS)</h1>\n"
        f'<p class="muted">{escape(summary)}</p>\n'
        "<h2>Téléchargements</h2>\n<ul>\n"
        f'<li><a href="{home}register.nt.gz">Registre complet (N-Triples, gzip)</a></li>\n'
        f'<li><a href="{home}register.loq.xml">Europass LOQ (XML)</a></li>\n'
        f'<li><a href="{home}catalog.ttl">Catalogue DCAT-AP</a> · <a href="{home}void.ttl">Description VoID</a></li>\n'
        f'<li><a href="{home}feed/index.ttl">Flux des changements (LDES)</a></li>\n</ul>\n'
        "<h2>Certifications</h2>\n"
        '<table>\n<thead><tr><th scope="col">Numéro</th><th scope="col">Intitulé</th><th scope="col">Niveau</th></tr></thead>\n'
        f"<tbody>\n{table}</tbody>\n</table>\n"
    )
    return _page("Registre RNCP / RS — données liées", body, home=home)
