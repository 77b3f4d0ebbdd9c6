"""The SVG map: every point drawn, the case governments highlighted, labelled and linked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from jichitai_kg.content import app_query
from jichitai_kg.linked_data.map_svg import render_map

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    ("https://w3id.org/jichitai-kg/id/gov/kamakura", "鎌倉市", 35.319, 139.547, True),
    ("https://w3id.org/jichitai-kg/id/gov/sapporo", "札幌市", 43.062, 141.354, False),
    ("https://w3id.org/jichitai-kg/id/gov/naha", "那覇市", 26.212, 127.681, False),
    ("https://w3id.org/jichitai-kg/id/gov/x", "<&\"x\">", 35.0, 135.0, False),
]


def test_points_case_highlight_labels_and_links() -> None:
    svg = render_map(ROWS, title="全国の市区町村", link=lambda iri: "/page?iri=" + iri)
    root = ET.fromstring(svg)  # well-formed XML, names escaped
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 4
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/page?iri=https://w3id.org/jichitai-kg/id/gov/kamakura"]
    assert links[0].find(f"{SVG}text").text == "鎌倉市"
    case_circle = links[0].find(f"{SVG}circle")
    others = [c for c in circles if c is not case_circle]
    assert float(case_circle.get("r")) > max(float(c.get("r")) for c in others)
    assert {c.get("fill") for c in others} != {case_circle.get("fill")}
    assert [t.text for t in root.iter(f"{SVG}title")][0] == "全国の市区町村"
    assert "<&\"x\">" in [t.text for t in root.iter(f"{SVG}title")]


def test_geography_north_is_up_and_east_is_right() -> None:
    root = ET.fromstring(render_map(ROWS))
    pos = {c.find(f"{SVG}title").text: (float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")}
    assert pos["札幌市"][1] < pos["鎌倉市"][1] < pos["那覇市"][1]      # north to south
    assert pos["那覇市"][0] < pos["鎌倉市"][0] < pos["札幌市"][0]      # west to east
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert all(0 <= x <= width and 0 <= y <= height for x, y in pos.values())


def test_no_external_references_or_inline_style() -> None:
    svg = render_map(ROWS)
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "").replace("https://w3id.org/jichitai-kg/", "")


def test_bad_position_is_rejected_and_empty_input_draws_an_empty_map() -> None:
    with pytest.raises(ValueError):
        render_map([("urn:x", "x", 95.0, 139.0, False)])
    assert ET.fromstring(render_map([])).find(f".//{SVG}circle") is None


def test_map_of_the_real_register(service_store) -> None:
    import pyoxigraph as ox

    from jichitai_kg.store import open_read_only

    store = open_read_only(service_store)
    text = app_query("map-points")
    result = store.query(text, substitutions={ox.Variable("lang"): ox.Literal("ja")}, use_default_graph_as_union=True)
    rows = [(s["gov"].value, s["label"].value, s["lat"].value, s["long"].value, s["case"].value == "true")
            for s in result]
    assert len(rows) == 1741 + 4  # every municipality, plus the four case prefectures
    root = ET.fromstring(render_map(rows, title="市区町村"))
    assert len(root.findall(f".//{SVG}circle")) == 1745
    labels = sorted(a.find(f"{SVG}text").text for a in root.iter(f"{SVG}a"))
    assert labels == sorted(["神奈川県", "鎌倉市", "京都府", "埼玉県", "つくば市", "港区", "徳島県", "横浜市"])


def test_map_page_and_svg(client) -> None:
    resp = client.get("/map.svg")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    root = ET.fromstring(resp.data)
    assert len(root.findall(f".//{SVG}circle")) == 1745
    assert sorted(a.get("href") for a in root.iter(f"{SVG}a")) == sorted(
        f"/id/gov/{s}" for s in ("kanagawa", "kamakura", "kyoto", "saitama", "tsukuba", "minato", "tokushima", "yokohama"))
    page = client.get("/map?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Minato City" in html and "<title>Sapporo City</title>" in html and 'href="/id/gov/minato"' in html


#: The report's governments around Tokyo (and two further away): close enough that labels
#: put right of their points would overlap.
NEAR_TOKYO = [
    ("https://w3id.org/jichitai-kg/id/gov/minato", "港区", 35.658, 139.751, True),
    ("https://w3id.org/jichitai-kg/id/gov/yokohama", "横浜市", 35.444, 139.638, True),
    ("https://w3id.org/jichitai-kg/id/gov/kanagawa", "神奈川県", 35.45, 139.40, True),
    ("https://w3id.org/jichitai-kg/id/gov/kamakura", "鎌倉市", 35.319, 139.547, True),
    ("https://w3id.org/jichitai-kg/id/gov/saitama", "埼玉県", 35.93, 139.50, True),
    ("https://w3id.org/jichitai-kg/id/gov/tsukuba", "つくば市", 36.083, 140.077, True),
    ("https://w3id.org/jichitai-kg/id/gov/kyoto", "京都府", 35.15, 135.55, True),
    ("https://w3id.org/jichitai-kg/id/gov/tokushima", "徳島県", 33.95, 134.35, True),
    ("https://w3id.org/jichitai-kg/id/gov/sapporo", "札幌市", 43.062, 141.354, False),
    ("https://w3id.org/jichitai-kg/id/gov/naha", "那覇市", 26.212, 127.681, False),
]


def test_labels_do_not_overlap_around_tokyo() -> None:
    root = ET.fromstring(render_map(NEAR_TOKYO))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y, w = float(text.get("x")), float(text.get("y")), 13.0 * len(text.text)
        x0 = x if text.get("text-anchor") == "start" else x - w
        boxes.append((text.text, x0, y - 11, x0 + w, y + 3))
    assert len(boxes) == 8
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1:]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, f"{a} overlaps {b}"
    # A label moved off its point is joined to it by a leader line inside the same link.
    for a in root.iter(f"{SVG}a"):
        circle, text = a.find(f"{SVG}circle"), a.find(f"{SVG}text")
        if abs(float(text.get("y")) - 4 - float(circle.get("cy"))) > 1:
            assert a.find(f"{SVG}line") is not None
