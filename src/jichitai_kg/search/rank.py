"""The ranking rules of search, as pure functions.

A hit is ranked by the best *tier* any of its texts reaches for the query:

0. exact: a label, alternative label, kana reading or 団体コード equals the query;
1. prefix: one of those starts with the query;
2. substring: one of those contains the query (every word of it, for several words);
3. description: only a description (or the label of the entity's kind) contains it.

Report locations (the records of where the report says something) come after every entity,
whatever their tier.  Ties are broken by kind (government > plan > initiative > everything else), then by the
length of the label (shorter first: 鎌倉市 before 鎌倉市役所の…), then by label and IRI
so that the order is total and repeatable.  An entity's kind is decided when the index is
built (``store.text_index.kind_of``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .text import contains_word

EXACT, PREFIX, SUBSTRING, DESCRIPTION = 0, 1, 2, 3
TIER_NAMES = ("exact", "prefix", "substring", "description")
#: Score of each tier (0–100), used as the reconciliation score too.
TIER_SCORE = (100.0, 80.0, 60.0, 30.0)

#: Fields whose text counts as a name (tiers 0–2); the rest only reach tier 3.
NAME_FIELDS = frozenset({"label", "alt", "kana", "code"})

_KIND_RANK = {"government": 0, "plan": 1, "initiative": 2}
#: The kind of the records about entities (report locations): ranked after every entity.
RECORD_KIND = "source"
OTHER_KIND_RANK = 3


def kind_rank(kind: str) -> int:
    return _KIND_RANK.get(kind, OTHER_KIND_RANK)


def tier(query: str, words: list[str], texts: Iterable[tuple[str, str]]) -> int | None:
    """Best tier reached by ``texts`` ((field, normalized text) pairs) for the normalized query.

    ``None`` when no text contains every word (the entity does not match at all).
    """
    best: int | None = None
    for field, norm in texts:
        if not all(contains_word(norm, w) for w in words):
            continue
        if field not in NAME_FIELDS:
            t = DESCRIPTION
        elif norm == query:
            return EXACT
        elif norm.startswith(query):
            t = PREFIX
        else:
            t = SUBSTRING
        best = t if best is None else min(best, t)
    return best


def sort_key(tier_: int, kind: str, label: str, iri: str) -> tuple:
    """The total order of hits: report locations last, then tier, kind, label length, label, IRI."""
    return (kind == RECORD_KIND, tier_, kind_rank(kind), len(label), label, iri)


def score(tier_: int) -> float:
    return TIER_SCORE[tier_]
