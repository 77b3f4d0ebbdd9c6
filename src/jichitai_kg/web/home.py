"""The home page (what the graph holds, a query editor, examples) and ``/healthz``."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from jinja2 import pass_context

from ..content import app_query, app_query_names, rq_header
from ..errors import BadRequest, JKGError, QueryFailed, QueryTooComplex, Unavailable
from ..i18n import Section, gettext, texts
from ..query.execution.runner import plain
from ..query.rules import media
from ..query.rules.guard import sniff
from ..store.text_index import index_path
from . import prefork
from .cq import government_choices, question_summaries
from .problems import jkg_error
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
                                   governments=government_choices(lang))
    other = "en" if lang == "ja" else "ja"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template("index.html", t=TEXT[lang], lang=lang, counts=counts, error=error,
                           examples=examples, initial_query=initial, questions=questions,
                           config_json=config_json, dataset_version=version,
                           infer_default=infer_default,
                           graph_query=_graph_form(initial),
                           other_lang_url=url_for("pages.index", **args, lang=other),
                           timeout=current_app.config["QUERY_TIMEOUT"])


def _graph_form(query: str) -> bool:
    """Whether the editor's query is a CONSTRUCT or DESCRIBE (an over-long one: no matter)."""
    try:
        return sniff(query).form in ("CONSTRUCT", "DESCRIBE")
    except QueryTooComplex:
        return False


#: The last integrity check of a search index file: (path, inode, size, mtime) → problem.
_index_checked: dict[tuple, str | None] = {}
_index_lock = threading.Lock()


def search_index_problem(store_path: Path | None) -> str | None:
    """Why the search index next to ``store_path`` cannot serve ``/search`` (None: it can).

    ``PRAGMA quick_check`` reads the whole file (about 20 ms for the project's index), so
    its answer is kept until the file changes on disk.  No index yet is no problem:
    ``/search`` builds it on first use.
    """
    if store_path is None:
        return None
    path = index_path(store_path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    with _index_lock:
        if key not in _index_checked:
            _index_checked.clear()
            _index_checked[key] = _quick_check(path)
        return _index_checked[key]


def _quick_check(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"the search index {path.name} cannot be read: {exc}"
    if rows != [("ok",)]:
        return f"the search index {path.name} is damaged: {rows[0][0]}"
    return None


@bp.app_errorhandler(sqlite3.DatabaseError)
def search_index_error(exc: sqlite3.DatabaseError):
    """An SQLite error while answering from the search index (/search, /reconcile), never a 500:
    a damaged index is 503 (the operator must rebuild it); on a sound index an
    ``OperationalError`` comes from what the client asked (FTS5 syntax), so it is 400."""
    problem = search_index_problem(get_dataset().store_path)
    if problem is None and isinstance(exc, sqlite3.OperationalError):
        return jkg_error(BadRequest(f"The search words cannot be used: {exc}. Leave out quotes, "
                                    "control characters and operators."))
    return jkg_error(Unavailable(f"{problem or f'The search index cannot be read ({exc})'}; the "
                                 "server's operator must rebuild it (jichitai-kg build --force)."))


@bp.route("/healthz")
def healthz():
    """A real query through the executor on every call (never a cached answer), and the
    search index checked: a server whose workers cannot answer is not healthy, and says so
    with 503; nor is a server some of whose serving processes are not ready yet (or failed
    to start)."""
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
        problem = search_index_problem(dataset.store_path)
        if problem:
            raise Unavailable(problem)
    except (JKGError, OSError) as exc:
        return jsonify(status="error", error=getattr(exc, "message", str(exc))), 503
    return jsonify(status="ok", triples=sum(counts.values()), graphs=counts,
                   store=dataset.store_path.name if dataset.store_path else None,
                   version=dataset.version, **remote)
