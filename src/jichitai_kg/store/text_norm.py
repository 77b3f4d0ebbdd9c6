"""Text normalization shared by the search index (built here, with the store) and the queries
(``search/``): both sides of a match go through :func:`normalize`, so matching is

* width- and compatibility-insensitive (NFKC: ＲＰＡ = RPA, ｶﾏｸﾗ = カマクラ);
* case-insensitive (casefold) and accent-insensitive for Latin script (Bōsō = boso);
* kana-insensitive: katakana is folded to hiragana, so カマクラ finds かまくら.

Japanese voicing marks are kept (が is not か): only combining marks of non-CJK characters
are dropped.  Normalization is done one character at a time so that every normalized
character can be traced back to the character it came from (for highlighting).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_KATAKANA_FIRST, _KATAKANA_LAST, _KANA_SHIFT = 0x30A1, 0x30F6, 0x60
_CJK_START = 0x3000


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKC", char).casefold():
        code = ord(ch)
        if ch.isspace():
            out.append(" ")
        elif code < _CJK_START:
            out.extend(d for d in unicodedata.normalize("NFD", ch) if not unicodedata.combining(d))
        elif _KATAKANA_FIRST <= code <= _KATAKANA_LAST:
            out.append(chr(code - _KANA_SHIFT))
        else:
            out.append(ch)
    return "".join(out)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the index of its source character."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def normalize(text: str) -> str:
    """The form both the index and the queries are compared in."""
    return "".join(_fold_char(ch) for ch in text)
