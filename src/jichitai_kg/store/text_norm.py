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

import re
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


#: Katakana → hiragana, and every kind of space → " ", as one str.translate table.
_FOLD_TABLE: dict[int, int | str] = {code: code - _KANA_SHIFT for code in range(_KATAKANA_FIRST, _KATAKANA_LAST + 1)}
_FOLD_TABLE.update({ord(ch): " " for ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"})
#: A character that may carry an accent to drop (Latin-1 up to the CJK blocks).
_MAY_HAVE_ACCENT = re.compile("[\u0080-\u2fff]")


def normalize(text: str) -> str:
    """The form both the index and the queries are compared in (NFKC over the whole text first,
    so that half-width kana with a separate voicing mark compose: ｼﾞ is じ).

    The same folding as :func:`normalize_with_map` character by character, done on the whole
    text at once (the index normalizes every text of the graph)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        return folded.translate(_FOLD_TABLE)
    if _MAY_HAVE_ACCENT.search(folded):
        folded = "".join(d for d in unicodedata.normalize("NFD", folded)
                         if not unicodedata.combining(d) or d >= "\u3000")
        folded = unicodedata.normalize("NFC", folded) if any(ch >= "\u3000" for ch in folded) else folded
    return folded.translate(_FOLD_TABLE)


# --------------------------------------------------------------------------- names

#: Old and variant kanji seen in place names as people write them → the form the register uses
#: most (NFKC folds none of these: 﨑 U+FA11 has no decomposition).  Both sides of a name
#: comparison are folded, so which member of a pair is the target does not matter.
_VARIANT_PAIRS = (
    "澤沢 濱浜 嶋島 嶌島 﨑崎 碕崎 嵜崎 邊辺 邉辺 龍竜 國国 縣県 廣広 櫻桜 齋斎 齊斉 眞真 鹽塩 瀧滝 "
    "舘館 檜桧 曾曽 籠篭 萊莱 條条 冨富 髙高 增増 德徳 惠恵 稻稲 瀨瀬 穗穂 嶽岳 藪薮 鷗鴎 壽寿 "
    "榮栄 圓円 應応 會会 學学 樂楽 關関 氣気 舊旧 區区 經経 輕軽 藝芸 劍剣 險険 驛駅 號号 濟済 "
    "參参 絲糸 兒児 實実 將将 燒焼 條条 淨浄 疊畳 讓譲 靜静 攝摂 專専 戰戦 淺浅 總総 莊荘 藏蔵 "
    "屬属 續続 體体 對対 帶帯 臺台 單単 團団 斷断 遲遅 晝昼 蟲虫 廳庁 鐵鉄 轉転 點点 傳伝 當当 "
    "獨独 讀読 繩縄 發発 拜拝 賣売 麥麦 濱浜 佛仏 變変 辨弁 豐豊 萬万 滿満 彌弥 藥薬 豫予 與与 "
    "來来 賴頼 兩両 禮礼 靈霊 勞労 灣湾 淸清 黑黒 埜野 岡岡 嶺嶺 峯峰 嵩嵩 槇槙 桒桑 渕淵 渊淵 "
    "邨村 駈駆 濵浜 﨑崎 塚塚 神神 福福 都都 館館 逸逸"
).split()
_VARIANTS = {pair[0]: pair[1] for pair in _VARIANT_PAIRS if pair[0] != pair[1]}
#: ケ, ヶ, が (and the small ゖ NFKC and katakana folding make of ヶ) between two ideographs are
#: one place-name particle: 龍ケ崎 = 龍ヶ崎 = 竜が崎.
_PARTICLES = "けゖがヶケ"
_DROPPED = set(" 　・･.,，、。'’\"()（）「」-‐－—_/")


def _is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch == "々"


def name_key(text: str) -> str:
    """The form in which two written names of one place compare equal: :func:`normalize`d, with
    old and variant kanji folded, the ケ/ヶ/が particle unified, spaces and punctuation dropped.

    ``name_key("龍ヶ崎市") == name_key("竜ケ﨑市")``; ``name_key("京都府 綾部市") == "京都府綾部市"``.
    """
    chars = [_VARIANTS.get(ch, ch) for ch in normalize(text) if ch not in _DROPPED]
    for i in range(1, len(chars) - 1):
        if chars[i] in _PARTICLES and _is_ideograph(chars[i - 1]) and _is_ideograph(chars[i + 1]):
            chars[i] = "け"
    return "".join(chars)


_ROMAJI_FOLDS = (("sh", "sy"), ("ch", "ty"), ("tsu", "tu"), ("ts", "t"), ("hu", "fu"), ("j", "zy"),
                 ("zyi", "zi"), ("syi", "si"), ("tyi", "ti"), ("mb", "nb"), ("mp", "np"), ("mm", "nm"),
                 ("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))
#: Passport spelling of a long o (Ohno, Kohchi): an h after o and before a consonant or the end.
_PASSPORT_OH = re.compile(r"oh(?![aeiouy])")


def romaji_key(text: str) -> str:
    """Latin letters of a romanized name in one spelling: Hepburn, Kunrei and passport spellings
    and long vowels written any way (Chōfu, Chofu, Choufu, Tyohu) compare equal."""
    key = "".join(ch for ch in normalize(text) if "a" <= ch <= "z")
    for old, new in _ROMAJI_FOLDS:
        key = key.replace(old, new)
    return _PASSPORT_OH.sub("o", key)
