"""Search results as JSON-ready dicts, shared by ``/search?format=json`` and ``jichitai-kg search``."""

from __future__ import annotations

from collections.abc import Callable

from .rank import TIER_NAMES
from .searcher import Hit, Results, SearchIndex

UrlOf = Callable[[str], str]

#: ja and en names of the kinds of the type facet.
KIND_LABELS = {
    "government": ("自治体", "government"), "plan": ("計画", "plan"), "initiative": ("取組", "initiative"),
    "post": ("職", "post"), "unit": ("組織", "unit"), "milestone": ("出来事", "milestone"),
    "figure": ("数値", "figure"), "source": ("報告書内の位置", "report location"),
    "concept": ("概念", "concept"), "other": ("その他", "other"),
}


def _term(index: SearchIndex, iri: str | None, lang: str, url_of: UrlOf) -> dict | None:
    """An IRI with its label (types without a label are left out of a hit's ``types``)."""
    return {"iri": iri, "label": index.term_label(iri, lang) or iri, "url": url_of(iri)} if iri else None


def hit_dict(hit: Hit, index: SearchIndex, lang: str, url_of: UrlOf) -> dict:
    types = [{"iri": t, "label": index.term_label(t, lang), "url": url_of(t)}
             for t in hit.types if index.term_label(t, lang)]
    return {
        "iri": hit.iri, "url": url_of(hit.iri), "label": {"ja": hit.label_ja, "en": hit.label_en},
        "kind": hit.kind, "types": types,
        "kind_label": types[0]["label"] if types else KIND_LABELS.get(hit.kind, KIND_LABELS["other"])[lang == "en"],
        "government": _term(index, hit.government, lang, url_of),
        "prefecture": _term(index, hit.prefecture, lang, url_of),
        "code": hit.code, "categories": [_term(index, c, lang, url_of) for c in hit.categories],
        "match": TIER_NAMES[hit.tier], "score": hit.score, "field": hit.matched_field,
        "snippet": hit.snippet, "snippet_html": hit.snippet_html,
    }


def _facet_label(name: str, value: str, index: SearchIndex, lang: str) -> str:
    if name == "type" and value in KIND_LABELS:
        return KIND_LABELS[value][lang == "en"]
    return index.term_label(value, lang) or value


def facets_dict(facets: dict, index: SearchIndex, lang: str) -> dict:
    return {name: [{"value": v, "label": _facet_label(name, v, index, lang), "count": n} for v, n in counts]
            for name, counts in facets.items()}


def results_dict(results: Results, index: SearchIndex, lang: str, url_of: UrlOf, **extra) -> dict:
    """The whole answer: query, total, page of results, facet counts (and ``extra`` keys)."""
    return {"query": results.query, "total": results.total, **extra,
            "results": [hit_dict(h, index, lang, url_of) for h in results.hits],
            "facets": facets_dict(results.facets, index, lang)}
