"""The home page (what the graph holds, a query editor, examples) and ``/healthz``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from ..content import app_query, app_query_names, rq_header
from ..errors import JKGError, QueryFailed, Unavailable
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
        "questions": "コンピテンシー・クエスチョン", "history": "履歴", "views": "表示",
        "view_table": "表", "view_bar": "棒グラフ", "view_heatmap": "ヒートマップ",
        "view_timeline": "年表", "view_map": "地図", "view_graph": "グラフ図", "view_raw": "テキスト", "csv_excel": "CSV（Excel 用 BOM 付き）",
        "permalink": "この結果へのリンク", "cite": "この結果を引用", "version": "データセットの版",
        "retrieved": "取得日時", "shorten": "短いリンクを作る", "short_permalink": "短いリンク",
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
        "questions": "Competency questions", "history": "History", "views": "Views",
        "view_table": "Table", "view_bar": "Bar chart", "view_heatmap": "Heatmap",
        "view_timeline": "Timeline", "view_map": "Map", "view_graph": "Graph", "view_raw": "Text", "csv_excel": "CSV for Excel (with BOM)",
        "permalink": "Link to this result", "cite": "Cite this result", "version": "Dataset version",
        "retrieved": "Retrieved", "shorten": "Make a short link", "short_permalink": "Short link",
    },
}

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
