"""``/cq``: the competency-question catalog on the web.

Negotiation, formats, limits and error statuses are those of ``/sparql``
(``query.rules.media`` and the shared executor); this module adds the catalog, the
parameter check (400 naming the valid values) and the HTML pages.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from .. import cq
from ..errors import BadRequest, NotAcceptable, ParameterError, QueryFailed, QuerySyntaxError
from ..i18n import Section
from ..namespaces import PREFIXES, compact
from ..query.rules import media
from .responses import answer_response, request_infer, request_lang
from .state import app_cache, get_dataset
from .urls import local_href

bp = Blueprint("cq", __name__)

#: Result-table values that may become links: local paths and http(s) IRIs (never javascript:).
_LINKABLE = re.compile(r"^(/(?!/)|https?://)", re.I)

#: Query-string names the view itself uses; every other name is a question parameter.
RESERVED = ("lang", "format", "infer", "bom")
LIST_TYPES = ("application/json", media.HTML)
RESULT_TYPES = media.SOLUTION_TYPES + (media.HTML,)
#: Links offered under a result table.
DOWNLOADS = ("json", "xml", "csv", "tsv")

#: Interface strings of the question pages (translations/*.po).
TEXT = Section("cq")


def _catalog() -> cq.Catalog:
    """Loaded once per app: the files do not change while the server runs."""
    cache = app_cache("cq")
    if "catalog" not in cache:
        cache["catalog"] = cq.load_catalog(get_dataset().queries_dir, strict=False)
    return cache["catalog"]


def question_summaries(lang: str) -> list[dict]:
    """The questions for the workbench's picker: id, title, description, query text, the view
    that fits, and the parameters (the picker draws a form for them)."""
    return [{"id": q.id, "title": q.localized("title", lang),
             "description": q.localized("description", lang), "query": q.text, "view": q.view,
             "params": [{"name": p.name, "type": p.type, "required": p.required,
                         "description": p.description, "allowed": list(p.allowed)}
                        for p in q.params]}
            for q in _catalog()]


def government_choices(lang: str) -> list[dict]:
    """The values of a ``government`` parameter, for the question forms: ``label`` the name
    in the page's language (the Japanese name where there is none), ``ja`` the Japanese name
    too when the label is another (shown in brackets after it)."""
    choices = []
    names = _safe_names(lang) if lang != "ja" else {}
    for g in _safe_governments():
        label = names.get(g.iri) or g.label or g.slug
        choices.append({"slug": g.slug, "iri": g.iri, "code": g.code, "label": label,
                        "ja": g.label if g.label and label != g.label else None})
    return choices


def _governments(lang: str = "ja") -> cq.Governments:
    """The governments with their names in ``lang``; in Japanese, those parameters resolve by."""
    cache = app_cache("cq")
    key = "governments" if lang == "ja" else f"governments-{lang}"
    if key not in cache:
        cache[key] = cq.governments_from_runner(get_dataset().runner(), _catalog(), lang)
    return cache[key]


def _editor_link(question: cq.Question, lang: str, raw: dict | None = None,
                 infer: bool = True) -> str:
    """The workbench running this question with the same parameters, language and inference
    switch (the page's own permalink form: ``/?question=<id>&<param>=…``)."""
    args = {"question": question.id}
    args.update({k: v for k, v in (raw or {}).items() if v and question.param(k) is not None})
    if "view" in question.extra:
        args["view"] = question.view
    if not infer:
        args["infer"] = "false"
    args["lang"] = lang
    return "/?" + urlencode(args)


@bp.route("/cq", methods=["GET"])
@bp.route("/cq/", methods=["GET"])
def catalog():
    lang = request_lang()
    fmt = (request.args.get("format") or "").lower()
    if fmt in ("json", "application/json"):
        media_type = "application/json"
    elif fmt == "html":
        media_type = media.HTML
    elif fmt:
        raise BadRequest(f"Unknown format={fmt!r}; use json or html")
    else:
        media_type = media.negotiate(request.headers.get("Accept"), LIST_TYPES)
        if media_type is None:
            raise NotAcceptable("The catalog is available as application/json or text/html.")
    questions = list(_catalog())
    if media_type == media.HTML:
        resp = Response(render_template(
            "cq_list.html", lang=lang, t=TEXT[lang], questions=questions,
            editor_link=lambda q: _editor_link(q, lang)))
        resp.headers["Content-Type"] = "text/html; charset=utf-8"
    else:
        items = []
        for q in questions:
            item = q.as_dict(lang)
            item["url"] = url_for("cq.question", qid=q.id, _external=True)
            items.append(item)
        resp = jsonify({"questions": items})
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/cq/<qid>", methods=["GET"])
def question(qid: str):
    q = _catalog().get(qid)
    lang = cq.check_lang(request.args.get("lang") or request_lang())
    fmt = request.args.get("format")
    wants_html = (fmt or "").lower() == "html" or (
        not fmt and media.negotiate(request.headers.get("Accept"), RESULT_TYPES,
                                       media.results_aliases()) == media.HTML)
    media_type = media.HTML if wants_html else media.negotiate_result(
        request.headers.get("Accept"), "SELECT", fmt)
    raw = {k: v for k, v in request.args.items() if k not in RESERVED}
    infer = request_infer()
    try:
        binding = cq.bind(q, raw, lang=lang, governments=_governments)
    except ParameterError as exc:
        if wants_html:
            missing = exc.param is not None and not raw.get(exc.param) and q.param(exc.param) is not None
            if missing:  # nothing chosen yet: show the form, not an error
                return _page(q, lang, raw, infer, status=200)
            return _page(q, lang, raw, infer, error=_localized_error(exc, raw, lang), status=400)
        raise
    graphs = get_dataset().protocol_dataset(infer)
    try:
        if wants_html:
            outcome = cq.run(get_dataset().answers, q, binding, dataset=graphs,
                             result_format=media.JSON_RESULTS)
            return _page(q, lang, raw, infer, results=json.loads(outcome.body))
        return answer_response(q.text, result_format=media_type,
                               substitutions=binding.substitutions,
                               default_graph=graphs.get("default_graph"),
                               named_graphs=graphs.get("named_graphs"))
    except QuerySyntaxError as exc:  # a broken catalog file: our fault, not the client's
        raise QueryFailed(f"The query file of {q.id} does not parse: {exc.message}") from None


def _localized_error(exc: ParameterError, raw: dict, lang: str) -> str:
    """The parameter error in the page's language (the message of ``cq`` is English)."""
    if exc.param is None or lang == "en":
        return exc.message
    head = TEXT[lang]["bad_value"].format(param=exc.param, value=raw.get(exc.param, ""))
    return f"{head}: {'; '.join(str(v) for v in exc.valid)}"


def _page(q: cq.Question, lang: str, raw: dict, infer: bool, *, results: dict | None = None,
          error: str | None = None, status: int = 200) -> Response:
    columns, rows = [], []
    if results is not None:
        names = results["head"]["vars"]
        # Contract columns first; the parameter columns pyoxigraph needs stay out of the table.
        columns = [c for c in q.columns if c in names] + \
            [c for c in names if c not in q.columns and c != "lang" and not q.param(c)
             and c not in {p.var for p in q.params}]
        rows = [[_cell(b.get(c)) for c in columns] for b in results["results"]["bindings"]]
    base_args = {**raw, "lang": lang}
    if not infer:
        base_args["infer"] = "false"
    downloads = {f: url_for("cq.question", qid=q.id, **base_args, format=f) for f in DOWNLOADS}
    downloads[TEXT[lang]["csv_excel"]] = url_for("cq.question", qid=q.id, **base_args, format="csv", bom="1")
    other = "en" if lang == "ja" else "ja"
    html = render_template(
        "cq_question.html", lang=lang, t=TEXT[lang], q=q, raw=raw, infer=infer, columns=columns,
        rows=rows, error=error, downloads=downloads, editor_link=_editor_link(q, lang, raw, infer),
        other_lang_url=url_for("cq.question", qid=q.id, **{**base_args, "lang": other}),
        governments=government_choices(lang), view=q.view,
        chart_data={"view": q.view, "prefixes": PREFIXES,
                    "vars": columns, "rows": results["results"]["bindings"] if results else []},
        pending=results is None and error is None)
    resp = Response(html, status=status)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    resp.headers["Vary"] = "Accept"
    return resp


def _safe_governments() -> list[cq.Government]:
    try:
        return _governments().items
    except Exception:  # the form still renders (with a text box) if the store is unavailable
        return []


def _safe_names(lang: str) -> dict[str, str]:
    """Each government's name in ``lang`` by IRI; none if the store cannot say."""
    try:
        return {g.iri: g.label for g in _governments(lang).items if g.label}
    except Exception:  # the Japanese names are shown instead
        return {}


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_JA_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")
_EN_MONTH = re.compile(rf"^({'|'.join(_MONTHS)}) (\d{{4}})$")
_FISCAL = re.compile(r"^(?:(\d{4})年度|FY ?(\d{4}))$")


def iso_date_text(text: str) -> str | None:
    """A date label of the data in ISO 8601 (``2011年3月``/``March 2011`` → ``2011-03``, a
    fiscal year ``2018年度``/``FY2018`` → ``2018-04/2019-03``), so a column reads in one form;
    None for anything else (left as it is)."""
    if m := _JA_MONTH.match(text):
        return f"{m[1]}-{int(m[2]):02d}"
    if m := _EN_MONTH.match(text):
        return f"{m[2]}-{_MONTHS.index(m[1]) + 1:02d}"
    if m := _FISCAL.match(text):
        year = int(m[1] or m[2])
        return f"{year}-04/{year + 1}-03"
    return None


def _cell(term: dict | None) -> dict:
    """What the HTML table shows for one value: text, and a link for IRIs; date labels in
    ISO 8601 with the label as written on hover."""
    if term is None:
        return {"text": ""}
    value = term["value"]
    if term["type"] == "literal" and (iso := iso_date_text(value)) is not None:
        return {"text": iso, "title": value}
    if term["type"] == "uri":
        text = compact(value) or value
        href = local_href(value)
        if not _LINKABLE.match(href):  # only http(s) and local paths become links
            return {"text": f"<{value}>"}
        return {"text": text, "href": href, "title": value}
    numeric = term.get("datatype", "").rsplit("#", 1)[-1] in ("integer", "decimal", "double")
    return {"text": value, "numeric": numeric}
