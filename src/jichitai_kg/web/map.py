"""The map of local governments: ``/map`` (page) and ``/map.svg`` (the drawing alone).

Every municipality of the register is a point; the eight governments the report profiles are
highlighted, labelled and linked to their linked-data pages.  The points come from
``sparql/map-points.rq`` through the dataset's runner (the executor: time- and memory-limited,
errors raised as :mod:`~jichitai_kg.errors`); the SVG is drawn by :func:`render_map`, which
needs nothing outside this process.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for
from markupsafe import Markup

from ..content import app_query, rq_header
from ..i18n import gettext
from ..linked_data.map_svg import render_map
from ..query.execution.runner import plain
from .home import TEXT
from .responses import request_lang
from .state import get_dataset
from .urls import local_href

bp = Blueprint("map", __name__)



def draw(lang: str) -> str:
    rows = plain(get_dataset().runner().select(app_query("map-points"), lang=lang))
    points = [(r["gov"], r.get("label", r["gov"]), r["lat"], r["long"], r["case"] == "true") for r in rows]
    return render_map(points, title=gettext("map.title", lang), link=local_href)


@bp.route("/map.svg")
def map_svg():
    return Response(draw(request_lang()), mimetype="image/svg+xml")


@bp.route("/map")
def map_page():
    lang = request_lang()
    svg = draw(lang)
    other = "ja" if lang == "en" else "en"
    example = rq_header(app_query("home-example-5-case-governments-on-a-map"))[1]
    workbench_href = url_for("pages.index", query=example, view="map", lang=lang)
    return render_template("map.html", t=TEXT[lang], lang=lang, title=gettext("map.title", lang),
                           svg=Markup(svg), workbench_href=workbench_href,
                           svg_href=url_for("map.map_svg", lang=lang),
                           other_lang_href=url_for("map.map_page", lang=other))
