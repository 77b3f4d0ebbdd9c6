"""The VoID description as an HTML page for browsers (the RDF stays at the same address)."""

from __future__ import annotations

from typing import Callable, Iterable

import pyoxigraph as ox

from .linked_data_pages import compact

TEXT = {
    "ja": {"title": "データセットの記述（VoID）", "lead":
           "このデータセットの規模・語彙・配布ファイルを VoID 語彙で記述したものです。"
           "同じ内容を RDF で取得できます。", "subject": "主語", "predicate": "述語",
           "object": "目的語", "formats": "RDF 形式", "other_lang": "English"},
    "en": {"title": "Dataset description (VoID)", "lead":
           "The size, vocabularies and dump files of this dataset, described with the VoID "
           "vocabulary. The same description is available as RDF.", "subject": "Subject",
           "predicate": "Predicate", "object": "Object", "formats": "RDF formats",
           "other_lang": "日本語"},
}


def _term(term, href: Callable[[str], str]) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"text": compact(term.value), "href": href(term.value), "title": term.value}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "blank": True}
    extra = f"@{term.language}" if term.language else (
        "" if term.datatype.value.endswith("#string") else f"^^{compact(term.datatype.value)}")
    return {"text": term.value, "extra": extra, "lang": term.language}


def void_rows(triples: Iterable[ox.Triple], href: Callable[[str], str]) -> list[dict]:
    """One row per triple, subjects grouped together, each term ready for the template."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return [{"s": _term(t.subject, href), "p": _term(t.predicate, href), "o": _term(t.object, href)}
            for t in ordered]
