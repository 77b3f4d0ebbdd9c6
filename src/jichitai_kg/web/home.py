"""The home page (what the graph holds, a query editor, examples) and ``/healthz``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from ..content import app_query, app_query_names, rq_header
from ..errors import JKGError, QueryFailed, Unavailable
from ..query import media
from ..query.runner import plain
from .responses import request_lang
from .state import get_dataset

bp = Blueprint("pages", __name__)

#: Seconds /healthz waits for its query (a free worker and ASK) before answering 503.
HEALTH_TIMEOUT = 5.0

#: Interface strings; data labels come from the graph in the chosen language.
TEXT = {
    "ja": {
        "title": "自治体ICT推進ナレッジグラフ",
        "lead": "8つの自治体（都道府県・市区）がICTの導入をどう進めているかを、報告書から"
                "組織・計画・取組・実績値として記述したオープンなナレッジグラフです。"
                "SPARQL 1.1 エンドポイントで自由に問い合わせられます。",
        "holds": "収録内容",
        "governments": "自治体",
        "initiatives": "取組",
        "triples": "トリプル",
        "editor": "SPARQL クエリ",
        "examples": "クエリ例",
        "run": "実行",
        "infer": "推論結果を含める（OWL 2 RL）",
        "download": "ダウンロード",
        "results": "結果",
        "endpoint": "エンドポイント",
        "service_description": "サービス記述",
        "rows": "件",
        "unavailable": "データセットを読み込めませんでした",
        "other_lang": "English",
    },
    "en": {
        "title": "Local Government ICT Adoption Knowledge Graph",
        "lead": "An open knowledge graph of how eight Japanese local governments (prefectures, "
                "cities and a ward) push ICT adoption: their units, posts, plans, initiatives "
                "and reported figures, taken from a survey report. Query it freely through a "
                "SPARQL 1.1 endpoint.",
        "holds": "What the graph holds",
        "governments": "local governments",
        "initiatives": "initiatives",
        "triples": "triples",
        "editor": "SPARQL query",
        "examples": "Example queries",
        "run": "Run",
        "infer": "Include OWL 2 RL inferences",
        "download": "Download",
        "results": "Results",
        "endpoint": "Endpoint",
        "service_description": "Service description",
        "rows": "rows",
        "unavailable": "The dataset could not be loaded",
        "other_lang": "日本語",
    },
}

def example_queries(lang: str) -> list[dict[str, str]]:
    """The package's ``sparql/home-example-*.rq`` queries with their header titles."""
    examples = []
    for name in app_query_names("home-example-"):
        fields, body = rq_header(app_query(name))
        title = (fields.get(f"title@{lang}") or fields.get("title") or [name])[0]
        examples.append({"id": name.removeprefix("home-example-"), "title": title, "query": body})
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
    initial = request.args.get("query") or (examples[0]["query"] if examples else "")
    return render_template("index.html", t=TEXT[lang], lang=lang, counts=counts, error=error,
                           examples=examples, initial_query=initial,
                           timeout=current_app.config["QUERY_TIMEOUT"])


@bp.route("/healthz")
def healthz():
    """A real query through the executor on every call (never a cached answer): a server
    whose workers cannot answer is not healthy, and says so with 503."""
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
