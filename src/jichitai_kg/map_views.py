"""The map of local governments: ``/map`` (page) and ``/map.svg`` (the drawing alone).

Every municipality of the register is a point; the eight governments the report profiles are
highlighted, labelled and linked to their linked-data pages.  The points come from
``queries/app/map-points.rq`` through the query executor (time- and memory-limited); the SVG
is drawn by :func:`render_map`, which needs nothing outside this process.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from flask import Blueprint, Response, render_template
from markupsafe import Markup

from .app import get_state, read_app_query, select_rows
from .executor import QueryFailed, QueryTimeout
from .namespaces import BASE
from .pages import TEXT, current_lang

bp = Blueprint("map", __name__)

TITLE = {"ja": "全国の市区町村と報告書の8団体", "en": "Japan's municipalities and the report's eight governments"}


def _load_render_map():
    # On this branch jichitai_kg.linked_data is still a module; once issue #10 makes it a package
    # this becomes ``from .linked_data.map_svg import render_map``.
    name = "jichitai_kg_map_svg"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "linked_data" / "map_svg.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].render_map


render_map = _load_render_map()


def local_page(iri: str) -> str:
    """The path of a resource's linked-data page on this server (``/id/gov/kamakura``)."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


def draw(lang: str) -> str:
    state = get_state()
    rows = select_rows(state.get_executor(), read_app_query(state.root, "map-points"),
                       substitutions={"lang": f'"{lang}"'})
    points = [(r["gov"], r.get("label", r["gov"]), r["lat"], r["long"], r["case"] == "true") for r in rows]
    return render_map(points, title=TITLE[lang], link=local_page)


def _unavailable(exc: Exception) -> Response:
    return Response(f"The map could not be drawn: {exc}", status=503, mimetype="text/plain")


@bp.route("/map.svg")
def map_svg():
    try:
        return Response(draw(current_lang()), mimetype="image/svg+xml")
    except (QueryTimeout, QueryFailed) as exc:
        return _unavailable(exc)


@bp.route("/map")
def map_page():
    lang = current_lang()
    try:
        svg = draw(lang)
    except (QueryTimeout, QueryFailed) as exc:
        return _unavailable(exc)
    return render_template("map.html", t=TEXT[lang], lang=lang, title=TITLE[lang], svg=Markup(svg),
                           other_lang_href=f"/map?lang={'ja' if lang == 'en' else 'en'}")
