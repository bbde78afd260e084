"""The A4 page of a credential: a valid PNG, deterministic, readable, never drawn outside the page."""

from __future__ import annotations

import io
import zlib
from datetime import date

import pytest
from PIL import Image, ImageChops, ImageDraw

from rncp_ld.credentials import render
from rncp_ld.credentials.render import (
    CONTENT_BOX,
    PAGE_SIZE,
    french_date,
    render_page,
    render_pages,
)

COMPETENCES = (
    "Accueille, informe et oriente le public",
    "Analyse les besoins, prend en compte les problématiques individuelles",
    "Accompagne des parcours d'insertion et/ou de vie",
)
PAGE = dict(
    certifier="Centre ressource AROBASE",
    candidate="Camille Lefèvre-Œuvray",
    certification_title="Coordinateur(trice) de l'intervention sociale et professionnelle",
    code="RNCP16575BC03",
    title="Conseil et accompagnement du public, coordination de parcours",
    competences=COMPETENCES,
    date=date(2024, 6, 28),
    credential_id="urn:uuid:6f1c1f2e-0000-4000-8000-000000000001",
    level=5,
)


def image(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as page:
        page.load()
        return page.convert("L")


def outside_content(page: Image.Image) -> Image.Image:
    """The page with its content box blanked: only the frame may remain."""
    page = page.copy()
    ImageDraw.Draw(page).rectangle(CONTENT_BOX, fill=255)
    return page


@pytest.fixture(scope="module")
def frame_only():
    """What lies outside the content box on any page."""
    return outside_content(image(render_page(**{**PAGE, "competences": ()})))


def test_page_is_an_a4_png_at_150_dpi():
    png = render_page(**PAGE)
    with Image.open(io.BytesIO(png)) as page:
        page.load()
        assert page.format == "PNG"
        assert page.size == PAGE_SIZE == (1240, 1754)
        assert abs(page.size[1] / page.size[0] - 297 / 210) < 0.002
        assert round(page.info["dpi"][0]) == 150
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 10_000 < len(png) < 200_000


def test_the_joined_deflate_stream_is_valid():
    png = render_page(**PAGE)
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8 : start - 4], "big")
    raw = zlib.decompress(png[start : start + length])  # checks the Adler-32 too
    assert len(raw) == PAGE_SIZE[1] * (1 + PAGE_SIZE[0] // 2)


def test_same_inputs_same_bytes_even_after_the_caches_are_cleared():
    first = render_pages(**PAGE)
    render._template.cache_clear()
    render._date_band.cache_clear()
    render._glyphs_of.cache_clear()
    assert render_pages(**PAGE) == first


def test_the_page_changes_with_what_it_shows():
    base = image(render_page(**PAGE))
    for change in (
        {"competences": (*COMPETENCES[:2], "Gère du personnel en insertion")},
        {"candidate": "Camille Lefevre-Oeuvray"},
        {"date": date(2024, 6, 29)},
        {"credential_id": "urn:uuid:other"},
        {"title": "Un autre bloc"},
        {"certifier": "Autre certificateur"},
    ):
        other = image(render_page(**{**PAGE, **change}))
        assert ImageChops.difference(base, other).getbbox() is not None, change


def test_text_is_dark_on_white_and_sits_in_the_content_box(frame_only):
    page = image(render_page(**PAGE))
    assert page.getpixel((5, 5)) == 255
    assert page.getextrema()[0] < 60  # dark ink (navy)
    assert ImageChops.difference(outside_content(page), frame_only).getbbox() is None


def test_the_font_has_french_letters():
    for style in ("regular", "bold", "italic"):
        glyphs = render._glyphs(style, 24)
        notdef = glyphs._mask("\ue000", 0)  # a code point no font maps: the "missing glyph" box
        for char in "éèêàâçîôûùœŒÉÀÇ’«»€":
            mask = glyphs._mask(char, 0)
            assert mask is not None, char
            assert notdef is None or mask[0].tobytes() != notdef[0].tobytes(), (style, char)


def test_long_lists_shrink_then_continue_on_further_pages(frame_only):
    many = [f"{text} ({n})" for n in range(40) for text in COMPETENCES]
    pages = render_pages(**{**PAGE, "competences": many})
    assert len(pages) >= 2
    for png in pages:
        page = image(png)
        assert page.size == PAGE_SIZE
        assert ImageChops.difference(outside_content(page), frame_only).getbbox() is None
    assert render_page(**{**PAGE, "competences": many}) == pages[0]
    assert len(render_pages(**PAGE)) == 1


def test_overlong_texts_are_wrapped_cut_or_shrunk_never_outside(frame_only):
    huge = " ".join(["compétence-interminable"] * 400)
    pages = render_pages(
        **{
            **PAGE,
            "competences": (huge, "x" * 500, *COMPETENCES),
            "candidate": "Marie-Thérèse Anne-Sophie de La Rochefoucauld-Montmorency d'Épinay-Saint-Luc " * 2,
            "certifier": "Très long nom d'organisme certificateur " * 6,
            "title": "Titre de bloc extrêmement long " * 10,
            "certification_title": "Intitulé de certification " * 12,
            "credential_id": "urn:uuid:" + "0" * 300,
        }
    )
    for png in pages:
        assert ImageChops.difference(outside_content(image(png)), frame_only).getbbox() is None


def test_certification_page():
    page = render_page(
        **{
            **PAGE,
            "kind": "certification",
            "code": "RNCP16575",
            "title": PAGE["certification_title"],
            "competences": ["RNCP16575BC01 — Etude et veille", "RNCP16575BC02 — Conduite"],
        }
    )
    assert image(page).size == PAGE_SIZE
    assert page != render_page(
        **{
            **PAGE,
            "code": "RNCP16575",
            "title": PAGE["certification_title"],
            "competences": ["RNCP16575BC01 — Etude et veille", "RNCP16575BC02 — Conduite"],
        }
    )
    with pytest.raises(ValueError, match="kind"):
        render_page(**{**PAGE, "kind": "diploma"})


def test_french_dates():
    assert french_date(date(2024, 7, 1)) == "1er juillet 2024"
    assert french_date(date(2024, 2, 28)) == "28 février 2024"
    assert french_date(date(2024, 12, 9)) == "9 décembre 2024"


def test_candidates_of_a_block_reuse_its_template():
    render._template.cache_clear()
    for name in ("A B", "C D", "E F"):
        render_page(**{**PAGE, "candidate": name})
    info = render._template.cache_info()
    assert (info.misses, info.hits) == (1, 2)
