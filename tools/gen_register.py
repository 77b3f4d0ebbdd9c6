"""Write the register of Japan's local governments as Turtle under data/register/.

Reads the data files shipped in the pinned ``japancode`` package (MIT licence):
``data/prefectures.json`` (47 prefectures) and ``data/municipalities.json`` (1,741 municipalities
and the 175 administrative wards of the 20 designated cities).  The package is a dev tool
(``pip install -e '.[register]'``); the service reads only the committed Turtle.

What the data decides and what this script decides:
- an entry whose name holds a space ("札幌市 中央区") is an administrative ward of the city named
  before the space; a city with wards in the data is a designated city;
- otherwise the kind is the legal suffix of the official name (市, 町, 村; 区 in Tokyo is a
  special ward), cross-checked against the kana reading;
- the 団体コード is the package's code with its leading zero restored; its check digit is
  recomputed and must match.

Usage: python tools/gen_register.py [--out data/register] [--gov-dir data/gov]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.synth import check_digit  # (the JIS X 0401/0402 rule, weights 6..2, mod 11)
from kana_hepburn import slug as kana_slug
from kana_hepburn import title as kana_title

PACKAGE = "japancode"
PINNED_VERSION = "0.1.0"
ROOT = Path(__file__).resolve().parents[1]

PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix gsp: <http://www.opengis.net/ont/geosparql#> .
@prefix schema: <http://schema.org/> .
@prefix sac: <http://data.e-stat.go.jp/lod/sac/> .
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix gov: <https://w3id.org/jichitai-kg/id/gov/> .
@prefix ward: <https://w3id.org/jichitai-kg/id/ward/> .
@prefix govtype: <https://w3id.org/jichitai-kg/id/gov-type/> .
@prefix src: <https://w3id.org/jichitai-kg/id/source/> .
"""

#: Kind → (suffix of the official name, kana readings of the suffix, govtype slug, English word).
KINDS = {
    "city": ("市", ("し",), "city", "City"),
    "town": ("町", ("まち", "ちょう"), "town", "Town"),
    "village": ("村", ("むら", "そん"), "village", "Village"),
    "special-ward": ("区", ("く",), "special-ward", "City"),
}
TOKYO = "13"


@dataclass(frozen=True)
class Body:
    code: str          # six digits, check digit included
    name: str          # official name (ja)
    kana: str          # reading, hiragana, no spaces
    kind: str          # govtype slug
    en: str
    base_slug: str
    pref_code: str     # two digits
    lat: float | None = None
    long: float | None = None
    iso: str | None = None
    homepage: str | None = None
    city_name: str | None = None  # for wards: the designated city's name


def full_code(package_code: str) -> str:
    """The six-digit code, with the leading zero the package drops, after checking its digit."""
    code = package_code.zfill(6)
    if not re.fullmatch(r"\d{6}", code) or check_digit(code[:5]) != code[5]:
        raise ValueError(f"invalid 団体コード {package_code!r}")
    return code


def read_package() -> tuple[list[dict], list[dict], str]:
    version = metadata.version(PACKAGE)
    if version != PINNED_VERSION:
        raise SystemExit(f"{PACKAGE} {version} installed; the register is pinned to {PINNED_VERSION}")
    data = resources.files(PACKAGE) / "data"
    prefs = json.loads((data / "prefectures.json").read_text(encoding="utf-8"))
    munis = json.loads((data / "municipalities.json").read_text(encoding="utf-8"))
    return prefs, munis, version


def _strip_suffix(name: str, kana: str, kind: str) -> tuple[str, str]:
    suffix, readings, _, _ = KINDS[kind]
    if not name.endswith(suffix):
        raise ValueError(f"{name} does not end in {suffix}")
    for reading in readings:
        if kana.endswith(reading):
            return name[: -len(suffix)], kana[: -len(reading)]
    raise ValueError(f"reading {kana!r} of {name} does not end in {readings}")


def prefecture_bodies(prefs: list[dict]) -> list[Body]:
    out = []
    for p in prefs:
        en = p["pref_en"]
        name = p["pref"]
        label = en if name.endswith("道") else f"{en} Metropolis" if name.endswith("都") else f"{en} Prefecture"
        out.append(Body(code=full_code(p["lgcode"]), name=name, kana=p["prefkana"], kind="prefecture",
                        en=label, base_slug=en.lower(), pref_code=p["pid"].zfill(2),
                        iso=p["ISO3166-2"], homepage=p["url"]))
    return out


def municipal_bodies(munis: list[dict]) -> tuple[list[Body], list[Body]]:
    """(municipalities, administrative wards)."""
    cities_with_wards = {m["city"].split(" ")[0] for m in munis if " " in m["city"]}
    bodies, wards = [], []
    for m in munis:
        code, pref = full_code(m["lgcode"]), m["pid"].zfill(2)
        point = {"lat": float(m["lat"]), "long": float(m["lng"])}
        if " " in m["city"]:
            city, ward_name = m["city"].split(" ")
            city_kana, ward_kana = m["citykana"].split(" ")
            stem, stem_kana = _strip_suffix(ward_name, ward_kana, "special-ward")
            _, city_stem_kana = _strip_suffix(city, city_kana, "city")
            wards.append(Body(code=code, name=city + ward_name, kana=city_kana + ward_kana, kind="ward",
                              en=f"{kana_title(stem_kana)} Ward, {kana_title(city_stem_kana)}",
                              base_slug=f"{kana_slug(city_stem_kana)}-{kana_slug(stem_kana)}",
                              pref_code=pref, city_name=city, **point))
            continue
        name, kana = m["city"], m["citykana"]
        kind = {"市": "city", "町": "town", "村": "village", "区": "special-ward"}[name[-1]]
        if kind == "special-ward" and pref != TOKYO:
            raise ValueError(f"{name}: a 区 outside Tokyo that is not a ward of a city")
        _, stem_kana = _strip_suffix(name, kana, kind)
        govtype = "designated-city" if name in cities_with_wards else KINDS[kind][2]
        bodies.append(Body(code=code, name=name, kana=kana, kind=govtype,
                           en=f"{kana_title(stem_kana)} {KINDS[kind][3]}", base_slug=kana_slug(stem_kana),
                           pref_code=pref, **point))
    return bodies, wards


def assign_slugs(prefs: list[Body], munis: list[Body], fixed: dict[str, str]) -> dict[str, str]:
    """IRI segment per code: prefectures by English name; a municipality by its romanized name,
    with its kind added when that clashes with another body, its prefecture too if it still
    clashes, and its code if even that clashes.  Codes in ``fixed`` (the case governments) keep their segment."""
    pref_slug = {p.pref_code: p.base_slug for p in prefs}
    taken = {p.base_slug for p in prefs}
    counts: dict[str, int] = {}
    for m in munis:
        counts[m.base_slug] = counts.get(m.base_slug, 0) + 1
    kind_word = {"designated-city": "city", "city": "city", "special-ward": "city", "town": "town", "village": "village"}
    with_kind = [f"{m.base_slug}-{kind_word[m.kind]}" for m in munis]
    kind_counts: dict[str, int] = {}
    for s in with_kind:
        kind_counts[s] = kind_counts.get(s, 0) + 1
    out = {p.code: p.base_slug for p in prefs}
    for m, s in zip(munis, with_kind, strict=True):
        if counts[m.base_slug] == 1 and m.base_slug not in taken:
            out[m.code] = m.base_slug
        elif kind_counts[s] == 1:
            out[m.code] = s
        else:
            out[m.code] = f"{s}-{pref_slug[m.pref_code]}"
    qualified: dict[str, int] = {}
    for segment in out.values():
        qualified[segment] = qualified.get(segment, 0) + 1
    for m in munis:  # same reading, kind and prefecture (枝幸町 and 江差町): the code decides
        if qualified[out[m.code]] > 1:
            out[m.code] = f"{out[m.code]}-{m.code}"
    for code, segment in fixed.items():
        out[code] = segment
    clashes = sorted(s for s in set(out.values()) if list(out.values()).count(s) > 1)
    if clashes:
        raise ValueError(f"IRI segments are not unique: {clashes}")
    return out


def case_governments(gov_dir: Path) -> dict[str, str]:
    """団体コード → IRI segment of the governments the report profiles (data/gov/*.ttl)."""
    found = {}
    pattern = re.compile(r'^gov:([a-z0-9-]+) a jkg:LocalGovernment\b.*?jkg:dantaiCode "(\d{6})"', re.S | re.M)
    for f in sorted(gov_dir.glob("*.ttl")):
        for segment, code in pattern.findall(f.read_text(encoding="utf-8")):
            found[code] = segment
    return found


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def area_turtle(b: Body) -> str:
    """The area the body governs (its e-Stat standard area code), with the register's position.

    The position belongs to the place, not to the body (jkg:LocalGovernment is the
    organization; geo:lat's domain is geo:SpatialThing, gsp:hasGeometry's is gsp:Feature).
    """
    lines = [f"sac:C{b.code[:5]} a jkg:Area"]
    if b.lat is not None:
        lines += [f"geo:lat {b.lat!r} ; geo:long {b.long!r}",
                  f'gsp:hasGeometry [ a gsp:Geometry ; gsp:asWKT "POINT({b.long!r} {b.lat!r})"^^gsp:wktLiteral ]']
    lines.append("schema:subjectOf src:register-japancode")
    return " ;\n    ".join(lines) + " .\n"


def body_turtle(b: Body, segment: str, pref_segment: str | None, is_case: bool) -> str:
    """One government; for a case government only the facts its chapter file does not state."""
    lines = [f"gov:{segment} a jkg:LocalGovernment"]
    if not is_case:
        lines += [f"org:classification govtype:{b.kind}", f"rdfs:label {_lit(b.name, 'ja')} , {_lit(b.en, 'en')}",
                  f'jkg:dantaiCode "{b.code}"', f"dcterms:spatial sac:C{b.code[:5]}"]
    lines.append(f"skos:altLabel {_lit(b.kana, 'ja-Hira')}")
    if b.iso:
        lines += [f'jkg:iso3166Code "{b.iso}"', f"foaf:homepage <{b.homepage}>"]
    if pref_segment:
        lines.append(f"jkg:inPrefecture gov:{pref_segment}")
    lines.append("schema:subjectOf src:register-japancode")
    return " ;\n    ".join(lines) + " .\n" + area_turtle(b)


def ward_turtle(w: Body, city_segment: str) -> str:
    lines = [f"ward:{w.base_slug} a jkg:AdministrativeWard", f"rdfs:label {_lit(w.name, 'ja')} , {_lit(w.en, 'en')}",
             f"skos:altLabel {_lit(w.kana, 'ja-Hira')}", f'jkg:wardCode "{w.code}"',
             f"dcterms:spatial sac:C{w.code[:5]}", f"jkg:wardOf gov:{city_segment}",
             "schema:subjectOf src:register-japancode"]
    return " ;\n    ".join(lines) + " .\n" + area_turtle(w)


def source_turtle(version: str) -> str:
    return f"""src:register-japancode a prov:Entity , schema:Dataset ;
    rdfs:label "全国地方公共団体の一覧（japancode {version} 同梱データ）"@ja ,
        "Register of Japan's local governments (data shipped in japancode {version})"@en ;
    dcterms:description "PyPIのjapancodeパッケージ {version} に同梱された data/prefectures.json と data/municipalities.json。団体コード・名称・読み・位置・都道府県のISO 3166-2と公式サイトを収める。報告書ではなくこの一覧に由来する事実の出典。"@ja ,
        "The files data/prefectures.json and data/municipalities.json shipped in the japancode {version} package on PyPI: codes, names, readings, positions, and for prefectures ISO 3166-2 codes and official sites. The source of every fact taken from the register rather than the report."@en ;
    dcterms:source <https://pypi.org/project/japancode/{version}/> , <https://github.com/ozekik/japancode> ;
    dcterms:license <https://opensource.org/licenses/MIT> ;
    dcterms:hasVersion "{version}" .
"""


HEADER = "# Generated by tools/gen_register.py from {pkg} {version} ({what}). Do not edit by hand.\n\n"


def render(gov_dir: Path) -> dict[str, str]:
    """File name → Turtle text of the register."""
    prefs_json, munis_json, version = read_package()
    prefs = prefecture_bodies(prefs_json)
    munis, wards = municipal_bodies(munis_json)
    fixed = case_governments(gov_dir)
    segments = assign_slugs(prefs, munis, fixed)
    pref_segment = {p.pref_code: segments[p.code] for p in prefs}
    city_segment = {(m.pref_code, m.name): segments[m.code] for m in munis}
    head = PREFIXES + "\n"
    return {
        "source.ttl": HEADER.format(pkg=PACKAGE, version=version, what="provenance") + head + source_turtle(version),
        "prefectures.ttl": HEADER.format(pkg=PACKAGE, version=version, what="47 prefectures") + head + "\n".join(
            body_turtle(p, segments[p.code], None, p.code in fixed) for p in prefs),
        "municipalities.ttl": HEADER.format(pkg=PACKAGE, version=version, what=f"{len(munis)} municipalities")
        + head + "\n".join(body_turtle(m, segments[m.code], pref_segment[m.pref_code], m.code in fixed) for m in munis),
        "wards.ttl": HEADER.format(pkg=PACKAGE, version=version, what=f"{len(wards)} administrative wards")
        + head + "\n".join(ward_turtle(w, city_segment[(w.pref_code, w.city_name)]) for w in wards),
    }


def write(out_dir: Path, gov_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(gov_dir).items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "register")
    parser.add_argument("--gov-dir", type=Path, default=ROOT / "data" / "gov")
    args = parser.parse_args(argv)
    for path in write(args.out, args.gov_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
