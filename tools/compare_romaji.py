"""Compare romanizers and readers on every reading of the register (docs/search.md records the output).

    .venv/bin/pip install -e '.[romaji-compare]' && .venv/bin/python tools/compare_romaji.py

For each of the register's bodies: (1) its kana reading romanized by tools/kana_hepburn.py,
pykakasi and cutlet, compared after ``romaji_key`` folding (the form the matcher compares) and
raw; (2) its kanji name read by pykakasi and by cutlet, compared with the register's reading
(what the homophone/typo matching relies on); (3) width and kana folding by
``text_norm.normalize`` and by jaconv on names, readings (hiragana, katakana, half-width) and
English names.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cutlet
import jaconv
import pykakasi
from gen_reconcile_gold import halfwidth, katakana, load_bodies
from kana_hepburn import romanize as hand

from jichitai_kg.store.text_norm import normalize, romaji_key


def main() -> None:
    bodies = load_bodies()
    kks, cut = pykakasi.kakasi(), cutlet.Cutlet()
    cut.use_foreign_spelling = False
    romanizers = {
        "kana_hepburn": hand,
        "pykakasi": lambda k: "".join(p["hepburn"] for p in kks.convert(k)),
        "cutlet": lambda k: cut.romaji(k).replace(" ", "").lower(),
    }
    out = {name: [] for name in romanizers}
    for name, fn in romanizers.items():
        start = time.perf_counter()
        out[name] = [fn(b["kana"]) for b in bodies]
        print(f"{name}: {len(bodies)} readings in {time.perf_counter() - start:.2f} s")
    ref = out["kana_hepburn"]
    for name in ("pykakasi", "cutlet"):
        raw = sum(a.replace("'", "") == b.replace("'", "") for a, b in zip(ref, out[name], strict=True))
        folded = sum(romaji_key(a) == romaji_key(b) for a, b in zip(ref, out[name], strict=True))
        print(f"{name} vs kana_hepburn: same raw {raw}/{len(bodies)}, same after romaji_key {folded}/{len(bodies)}")
        diffs = [(b["kana"], r, o) for b, r, o in zip(bodies, ref, out[name], strict=True) if romaji_key(r) != romaji_key(o)]
        print("   e.g.", diffs[:5])
    for name, read in (("pykakasi", lambda t: "".join(p["hira"] for p in kks.convert(t))),
                       ("cutlet", lambda t: "".join(w.feature.kana or w.surface for w in cut.tagger(t)))):
        right = 0
        for b in bodies:
            reading = read(b["ja"])
            reading = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in reading)
            right += reading == b["kana"]
        print(f"{name} reads the kanji name as the register does: {right}/{len(bodies)}")
    compare_width_folding(bodies)


def compare_width_folding(bodies: list[dict]) -> None:
    """text_norm.normalize (NFKC, case fold, katakana → hiragana) against jaconv's conversions."""
    texts = [t for b in bodies for t in (b["ja"], b["kana"], katakana(b["kana"]), halfwidth(katakana(b["kana"])),
                                          b["en"], b["en"].upper())]

    def by_jaconv(t: str) -> str:
        wide = jaconv.h2z(jaconv.z2h(t, kana=False, ascii=True, digit=True), kana=True, ascii=False, digit=False)
        return jaconv.kata2hira(wide).lower()

    timings = {}
    results = {}
    for name, fn in (("normalize", normalize), ("jaconv", by_jaconv)):
        start = time.perf_counter()
        results[name] = [fn(t) for t in texts]
        timings[name] = time.perf_counter() - start
    same = sum(a == b for a, b in zip(results["normalize"], results["jaconv"], strict=True))
    print(f"width/kana folding: normalize and jaconv agree on {same}/{len(texts)} texts; "
          f"{timings['normalize']:.3f} s vs {timings['jaconv']:.3f} s")


if __name__ == "__main__":
    main()
