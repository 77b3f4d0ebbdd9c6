"""Hiragana → modified Hepburn romanization, for the English names of the register.

Long vowels are written without macrons, as in the usual English forms of place names
(とうきょう → tokyo, おおさか → osaka); ん before a vowel or y is written n'.
"""

from __future__ import annotations

_KANA = "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでどなにぬねのはひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをぁぃぅぇぉゔ"
_ROMAJI = ("a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo ta chi tsu te to da "
           "ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo pa pi pu pe po ma mi mu me mo ya "
           "yu yo ra ri ru re ro wa i e o a i u e o vu").split()
_BASE = dict(zip(_KANA, _ROMAJI, strict=True))
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
#: Consonant of a 〜i kana before a small ya/yu/yo: き+ゃ → kya, し+ゃ → sha, ち+ゃ → cha.
_Y_STEM = {"shi": "sh", "chi": "ch", "ji": "j"}
_VOWELS = "aeiouy"


def _syllables(kana: str) -> list[str]:
    out: list[str] = []
    for ch in kana:
        if ch in _SMALL_Y and out and out[-1].endswith("i"):
            stem = _Y_STEM.get(out[-1], out[-1][:-1] + "y")
            out[-1] = stem + _SMALL_Y[ch]
        elif ch in _BASE:
            out.append(_BASE[ch])
        elif ch in "っんー":
            out.append(ch)
        else:
            raise ValueError(f"cannot romanize {ch!r} in {kana!r}")
    return out


def _is_long(prev: str, s: str, extended: bool) -> bool:
    """おう・おお・うう lengthen the vowel before them (written without a macron); a vowel already
    lengthened is not lengthened again (さんようおのだ → san'yoonoda, not san'yonoda)."""
    return not extended and ((s == "u" and prev[-1:] in ("o", "u")) or (s == "o" and prev[-1:] == "o"))


def _join(sylls: list[str]) -> str:
    text, prev, extended = "", "", False
    for i, s in enumerate(sylls):
        nxt = sylls[i + 1] if i + 1 < len(sylls) else ""
        if s == "っ":
            if nxt and nxt not in "っんー":
                text += "t" if nxt.startswith("ch") else nxt[0]
            continue
        if s == "ー":
            continue
        if s == "ん":
            text += "n'" if nxt[:1] and nxt[0] in _VOWELS else "n"
            prev, extended = "n", False
            continue
        if _is_long(prev, s, extended):
            extended = True
            continue
        text += s
        prev, extended = s, False
    return text


def romanize(kana: str) -> str:
    """``kana`` (hiragana) in modified Hepburn, lower case, long vowels unmarked."""
    return _join(_syllables(kana))


def slug(kana: str) -> str:
    """An IRI segment: the romanization without apostrophes."""
    return romanize(kana).replace("'", "")


def title(kana: str) -> str:
    """The romanization with its first letter capitalized, as a name."""
    text = romanize(kana)
    return text[:1].upper() + text[1:]
