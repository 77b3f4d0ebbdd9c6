"""Reading competency-question answers as the report prints them (tests/cq/test_answers*.py).

Labels are compared after NFKC and without spaces, dates as (year, month).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

EXPECTED = Path(__file__).parent / "expected" / "cq"
ID = "https://w3id.org/jichitai-kg/id/"
SLUGS = ["kanagawa", "kamakura", "kyoto", "saitama", "tsukuba", "minato", "tokushima", "yokohama"]


def slug(term) -> str | None:
    """The local name of one of our IRIs (gov:kanagawa → kanagawa)."""
    return None if term is None else term.value.rsplit("/", 1)[-1]


def text(term) -> str:
    """A label as compared: NFKC (full-width brackets = ASCII ones), no spaces."""
    if term is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", term.value))


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def number(term) -> Decimal | None:
    return None if term is None else Decimal(term.value)


def date_key(term) -> tuple[int | None, int | None]:
    """(year, month) of '2019-06', '2019年6月', '2019年度', 'FY2019', '2018'."""
    if term is None:
        return (None, None)
    m = re.search(r"(\d{4})(?:[-年/](\d{1,2})(?!\d))?", term.value)
    if not m:
        return (None, None)
    return (int(m[1]), int(m[2]) if m[2] else None)


def year(term) -> int | None:
    return date_key(term)[0]


def has(label_term, fragment: str) -> bool:
    return norm(fragment) in text(label_term)
