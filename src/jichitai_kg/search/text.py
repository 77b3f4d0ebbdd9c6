"""Query words, word matching and snippet highlighting.

Normalization itself (:func:`normalize`) lives with the index builder in
:mod:`jichitai_kg.store.text_norm`, since the index is built with the store; it is
re-exported here for the search side.
"""

from __future__ import annotations

import html

from ..store.text_norm import normalize, normalize_with_map

__all__ = ["contains_word", "find_word", "highlight", "normalize", "normalize_with_map", "terms"]


def terms(query: str) -> list[str]:
    """The distinct normalized words of a query, in order (Japanese has no spaces: usually a
    single term).  Repeats are dropped: "a a a …" is one word, not work per repeat."""
    return list(dict.fromkeys(t for t in normalize(query).split(" ") if t))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def find_word(text: str, word: str, start: int = 0) -> int:
    """Index of ``word`` in ``text`` from ``start`` (-1 if absent).  A Latin word must begin at a
    word start ("ai" is not in "said"); Japanese needs no boundary (政策課 is in 情報政策課)."""
    pos = text.find(word, start)
    if not word or not _is_word_char(word[0]):
        return pos
    while pos > 0 and _is_word_char(text[pos - 1]):
        pos = text.find(word, pos + 1)
    return pos


def contains_word(text: str, word: str) -> bool:
    return find_word(text, word) >= 0


def highlight(text: str, words: list[str], *, width: int = 80) -> tuple[str, str]:
    """A window of ``text`` around the first match, as plain text and as HTML with ``<mark>``.

    ``words`` are normalized terms; every occurrence inside the window is marked.  The HTML is
    escaped, so it can be inserted into a page as is.
    """
    norm, origin = normalize_with_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = find_word(norm, word)
        while start >= 0 and word:
            end = start + len(word) - 1
            spans.append((origin[start], origin[end] + 1))
            start = find_word(norm, word, start + len(word))
    spans.sort()
    first = spans[0][0] if spans else 0
    lo = max(0, min(first - width // 4, len(text) - width))
    hi = min(len(text), lo + width)
    pieces, cursor = [], lo
    for s, e in spans:
        s, e = max(s, lo), min(e, hi)
        if s < cursor or s >= e:
            continue
        pieces.append(html.escape(text[cursor:s]))
        pieces.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    pieces.append(html.escape(text[cursor:hi]))
    prefix, suffix = ("…" if lo > 0 else ""), ("…" if hi < len(text) else "")
    return prefix + text[lo:hi] + suffix, prefix + "".join(pieces) + suffix
