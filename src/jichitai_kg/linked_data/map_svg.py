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

    # A group, not an image: it holds links, which an image's children may not be.
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
           f'width="{WIDTH}" height="{height}" role="group" aria-label={quoteattr(title)}>',
           f"<title>{escape(title)}</title>", '<g class="points" aria-hidden="true">']
    for p in sorted((p for p in places if not p.is_case), key=lambda p: p.iri):
        x, y = xy(p)
        out.append(f'<circle cx="{x}" cy="{y}" {_attrs(POINT)}><title>{escape(p.label)}</title></circle>')
    out += ["</g>", '<g class="case">']
    cases = sorted((p for p in places if p.is_case), key=lambda p: (float(xy(p)[1]), p.iri))
    anchors = [(float(xy(p)[0]), float(xy(p)[1])) for p in cases]
    placed = place_labels([(ax, ay, p.label) for (ax, ay), p in zip(anchors, cases, strict=True)], WIDTH)
    for p, (ax, ay), (lx, ly, anchor) in zip(cases, anchors, placed, strict=True):
        leader = ""
        if abs(ly - 4 - ay) > 1:  # moved off its point: a thin line keeps them together
            end_x = lx - 2 if anchor == "start" else lx + 2
            leader = (f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{end_x:.1f}" y2="{ly - 4:.1f}" '
                      'stroke="#1b1b1b" stroke-width="0.8"/>')
        out.append(f"<a href={quoteattr(link(p.iri))}>{leader}"
                   f'<circle cx="{ax:.1f}" cy="{ay:.1f}" {_attrs(CASE_POINT)}><title>{escape(p.label)}</title></circle>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" {_attrs(LABEL)}>'
                   f"{escape(p.label)}</text></a>")
    out += ["</g>", "</svg>"]
    return "\n".join(out)


def _label_width(text: str) -> float:
    """Rough width at 13 px: CJK characters about a full em, others about 0.6 em."""
    return sum(13.0 if ord(ch) > 0x2E80 else 7.8 for ch in text)


def place_labels(points: list[tuple[float, float, str]], width: float) -> list[tuple[float, float, str]]:
    """(x, y, label) → (text x, text baseline y, text-anchor) so that no two labels overlap:
    each label tries right of its point, then left, then steps further up or down (a leader
    line joins it to its point).  Greedy, in the given order; deterministic."""
    boxes: list[tuple[float, float, float, float]] = []
    dots = [(x - 6, y - 6, x + 6, y + 6) for x, y, _ in points]
    out = []

    def free(box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 0 or x1 > width:
            return False
        return all(x1 <= a or x0 >= c or y1 <= b or y0 >= d for a, b, c, d in boxes + dots)

    for x, y, label in points:
        w, h = _label_width(label), 15.0
        choice = None
        for dy in (0, -16, 16, -32, 32, -48, 48, -64, 64, -80, 80, -96, 96):
            for side in ("start", "end"):
                lx = x + 8 if side == "start" else x - 8
                x0 = lx if side == "start" else lx - w
                box = (x0, y + dy - h / 2 - 2, x0 + w, y + dy + h / 2)
                if free(box):
                    choice = (lx, y + dy + 4, side, box)
                    break
            if choice:
                break
        if choice is None:  # nowhere free nearby: right of the point, as before
            choice = (x + 8, y + 4, "start", (x + 8, y - 9.5, x + 8 + w, y + 7.5))
        boxes.append(choice[3])
        out.append(choice[:3])
    return out
