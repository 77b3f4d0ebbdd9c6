"""Draw local governments as points on a plain SVG map of Japan (no tiles, no external requests).

Pure function: rows in, SVG text out.  Every point is a circle at its longitude/latitude in an
equirectangular projection scaled by the cosine of the middle latitude (so Japan keeps its shape);
the governments the report profiles are drawn larger, in another colour, labelled, and linked.
Colours and sizes are presentation attributes, not ``style``, so the page's strict CSP applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 800
MARGIN = 20
POINT = {"r": "1.6", "fill": "#7f8c8d", "fill-opacity": "0.7"}
CASE_POINT = {"r": "5", "fill": "#c0392b", "stroke": "#ffffff", "stroke-width": "1.5"}
LABEL = {"font-size": "13", "fill": "#1b1b1b", "stroke": "#ffffff", "stroke-width": "3",
         "paint-order": "stroke", "font-family": "sans-serif"}


@dataclass(frozen=True)
class Place:
    iri: str
    label: str
    lat: float
    long: float
    is_case: bool


def _attrs(attrs: dict[str, str]) -> str:
    return " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items())


def _places(rows: Iterable[tuple]) -> list[Place]:
    places = []
    for iri, label, lat, long, is_case in rows:
        lat, long = float(lat), float(long)
        if not (math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180):
            raise ValueError(f"{iri}: not a position ({lat}, {long})")
        places.append(Place(str(iri), str(label), lat, long, bool(is_case)))
    return places


def render_map(rows: Iterable[tuple], *, title: str = "Local governments",
               link: Callable[[str], str] = lambda iri: iri) -> str:
    """SVG of ``rows`` = (iri, label, lat, long, is_case); ``link`` maps an IRI to the href used
    for the case governments (default: the IRI itself)."""
    places = _places(rows)
    if not places:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {2 * MARGIN}" role="img">'
                f"<title>{escape(title)}</title></svg>")
    lats = [p.lat for p in places]
    longs = [p.long for p in places]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(longs) - min(longs)) * squeeze, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (WIDTH - 2 * MARGIN) / span_x
    height = round(span_y * scale + 2 * MARGIN)

    def xy(p: Place) -> tuple[str, str]:
        x = MARGIN + (p.long - min(longs)) * squeeze * scale
        y = MARGIN + (max(lats) - p.lat) * scale
        return f"{x:.1f}", f"{y:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}" role="img" aria-label={quoteattr(title)}>',
           f"<title>{escape(title)}</title>", '<g class="points">']
    for p in sorted((p for p in places if not p.is_case), key=lambda p: p.iri):
        x, y = xy(p)
        out.append(f'<circle cx="{x}" cy="{y}" {_attrs(POINT)}><title>{escape(p.label)}</title></circle>')
    out += ["</g>", '<g class="case">']
    for p in sorted((p for p in places if p.is_case), key=lambda p: p.iri):
        x, y = xy(p)
        out.append(f"<a href={quoteattr(link(p.iri))}>"
                   f'<circle cx="{x}" cy="{y}" {_attrs(CASE_POINT)}><title>{escape(p.label)}</title></circle>'
                   f'<text x="{float(x) + 7:.1f}" y="{float(y) + 4:.1f}" {_attrs(LABEL)}>{escape(p.label)}</text></a>')
    out += ["</g>", "</svg>"]
    return "\n".join(out)
