"""The home page (what the graph holds, a query editor, examples) and ``/healthz``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from jinja2 import pass_context

from ..content import app_query, app_query_names, rq_header
from ..errors import JKGError, QueryFailed, Unavailable
from ..i18n import Section, gettext, texts
from ..query import media
from ..query.guard import sniff
from ..query.runner import plain
from . import prefork
from .cq import government_choices, question_summaries
from .responses import request_lang
from .state import get_dataset
from .workbench import workbench_config

bp = Blueprint("pages", __name__)

#: Seconds /healthz waits for its query (a free worker and ASK) before answering 503.
HEALTH_TIMEOUT = 5.0

#: Interface strings (translations/*.po, i18n.py); data labels come from the graph in the chosen language.
TEXT = Section("home")


@bp.app_template_global("msg")
@pass_context
def msg(context, key: str) -> str:
    """``{{ msg("base.ontology") }}`` in any template: one catalog message in the page's language."""
    return gettext(key, context.get("lang") or "ja")


@bp.app_template_global("msgs")
@pass_context
def msgs(context, section: str) -> dict[str, str]:
    """``{{ msgs("workbench")|tojson }}``: a catalog section in the page's language (_strings.html)."""
    return texts(context.get("lang") or "ja", section)

def example_queries(lang: str) -> list[dict[str, str]]:
    """The package's ``sparql/home-example-*.rq`` queries with their header titles."""
    examples = []
    for name in app_query_names("home-example-"):
        fields, body = rq_header(app_query(name))
        title = (fields.get(f"title@{lang}") or fields.get("title") or [name])[0]
        examples.append({"id": name.removeprefix("home-example-"), "title": title, "query": body,
                         "view": (fields.get("view") or ["table"])[0]})
    return examples


@bp.route("/")
def index():
    lang = request_lang()
    counts, error = None, None
    try:
        rows = plain(get_dataset().runner().select(app_query("home-counts")))
        counts = {k: int(v) for k, v in rows[0].items()} if rows else None
    except (Unavailable, QueryFailed, OSError) as exc:
        error = getattr(exc, "message", str(exc))
    examples = example_queries(lang)
    questions = question_summaries(lang)
    picked = next((q for q in questions if q["id"] == request.args.get("question")), None)
    initial = (picked["query"] if picked else request.args.get("query")) or (
        examples[0]["query"] if examples else "")
    version = get_dataset().version
    infer_default = bool(current_app.config["INFERENCE"])
    config_json = workbench_config(endpoint=url_for("sparql.sparql"), lang=lang, examples=examples,
                                   questions=questions, dataset_version=version,
                                   infer_default=infer_default,
                                   governments=government_choices())
    other = "en" if lang == "ja" else "ja"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template("index.html", t=TEXT[lang], lang=lang, counts=counts, error=error,
                           examples=examples, initial_query=initial, questions=questions,
                           config_json=config_json, dataset_version=version,
                           infer_default=infer_default,
                           graph_query=sniff(initial).form in ("CONSTRUCT", "DESCRIBE"),
                           other_lang_url=url_for("pages.index", **args, lang=other),
                           timeout=current_app.config["QUERY_TIMEOUT"])


@bp.route("/healthz")
def healthz():
    """A real query through the executor on every call (never a cached answer): a server
    whose workers cannot answer is not healthy, and says so with 503; nor is a server some
    of whose serving processes are not ready yet (or failed to start)."""
    waiting = prefork.readiness()
    if waiting is not None:
        return jsonify(status="starting", error=f"{waiting[0]} of {waiting[1]} serving "
                       "processes are ready", ready_processes=waiting[0], processes=waiting[1]), 503
    dataset = get_dataset()
    try:
        dataset.executor.run(app_query("health-check"), result_format=media.JSON_RESULTS,
                             timeout=HEALTH_TIMEOUT)
        counts = dataset.graph_counts()
        remote = dataset.health()  # a remote store is asked live, and its version read again
    except (JKGError, OSError) as exc:
        return jsonify(status="error", error=getattr(exc, "message", str(exc))), 503
    return jsonify(status="ok", triples=sum(counts.values()), graphs=counts,
                   store=dataset.store_path.name if dataset.store_path else None,
                   version=dataset.version, **remote)
