"""The home page (what the graph holds, a query editor, examples) and ``/healthz``."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from . import protocol, workbench
from .app import get_state, read_app_query, select_rows
from .executor import QueryFailed, QueryTimeout

bp = Blueprint("pages", __name__)

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
        "view_timeline": "年表", "view_graph": "グラフ図", "view_raw": "テキスト", "csv_excel": "CSV（Excel 用 BOM 付き）",
        "permalink": "この結果へのリンク", "cite": "この結果を引用", "version": "データセットの版",
        "retrieved": "取得日時",
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
        "view_timeline": "Timeline", "view_graph": "Graph", "view_raw": "Text", "csv_excel": "CSV for Excel (with BOM)",
        "permalink": "Link to this result", "cite": "Cite this result", "version": "Dataset version",
        "retrieved": "Retrieved",
    },
}

_HEADER = re.compile(r"^#\s*([\w@-]+)\s*:\s*(.*)$")


def current_lang() -> str:
    return workbench.current_lang()


def example_queries(root: Path, lang: str) -> list[dict[str, str]]:
    """The ``queries/app/home-example-*.rq`` files with their header titles."""
    examples = []
    for path in sorted((Path(root) / "queries" / "app").glob("home-example-*.rq")):
        lines = path.read_text(encoding="utf-8").splitlines()
        meta = {}
        while lines and _HEADER.match(lines[0]):
            m = _HEADER.match(lines.pop(0))
            meta[m.group(1)] = m.group(2)
        title = meta.get(f"title@{lang}") or meta.get("title") or path.stem
        body = "\n".join(lines).strip()
        examples.append({"id": path.stem.removeprefix("home-example-"), "title": title,
                         "query": body + "\n"})
    return examples


@bp.route("/")
def index():
    lang = current_lang()
    state = get_state()
    counts, error = None, None
    try:
        rows = select_rows(state.get_executor(), read_app_query(state.root, "home-counts"))
        counts = {k: int(v) for k, v in rows[0].items()} if rows else None
    except (QueryTimeout, QueryFailed, OSError) as exc:
        error = str(exc)
    examples = example_queries(state.root, lang)
    initial = request.args.get("query") or (examples[0]["query"] if examples else "")
    questions = _question_summaries(lang)
    version = state.store_path.name if state.store_path else None
    infer_default = bool(current_app.config.get("INFERENCE", True))
    config_json = workbench.workbench_config(
        endpoint=url_for("sparql.sparql"), lang=lang, examples=examples, questions=questions,
        dataset_version=version, public_base=current_app.config.get("PUBLIC_BASE"),
        script_root=request.script_root, infer_default=infer_default)
    other = "en" if lang == "ja" else "ja"
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return render_template("index.html", t=TEXT[lang], lang=lang, counts=counts, error=error,
                           examples=examples, initial_query=initial, questions=questions,
                           config_json=config_json, dataset_version=version,
                           infer_default=infer_default,
                           graph_query=protocol.sniff(initial).form in ("CONSTRUCT", "DESCRIBE"),
                           other_lang_url=url_for("pages.index", **args, lang=other),
                           timeout=current_app.config["QUERY_TIMEOUT"])


def _question_summaries(lang: str) -> list[dict]:
    """The CQs for the workbench's picker: id, title, query text and the view that fits."""
    try:
        from .cq_views import _catalog
        questions = list(_catalog())
    except ImportError:
        return []
    return [{"id": q.id, "title": q.localized("title", lang), "query": q.text,
             "view": q.extra.get("view", "table")} for q in questions]


@bp.route("/healthz")
def healthz():
    """Liveness plus a real query: a server whose workers cannot read the store is not healthy."""
    state = get_state()
    try:
        counts = state.graph_counts()
    except (QueryTimeout, QueryFailed, OSError) as exc:
        return jsonify(status="error", error=str(exc)), 503
    return jsonify(
        status="ok",
        triples=sum(counts.values()),
        graphs=counts,
        store=state.store_path.name if state.store_path else None,
    )
