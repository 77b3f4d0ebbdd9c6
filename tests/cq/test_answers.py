"""Each competency question against the answer READ FROM THE REPORT.

The expectations below (and in tests/expected/cq/) were written from
``../shared/source/000_*.txt``, not from query output.  They compare stable
parts only: government slugs, IRIs fixed by docs/conventions.md, Japanese
names as printed (compared after NFKC and without spaces), numbers and dates.
Dates are compared as (year, month) — "2019年6月", "2019-06" and "2019年度" all
carry the year the report states.

The questions run on the prepared store (ontology + data + inferences, as
served), through the same binding code the web and CLI use.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from jichitai_kg import cq
from jichitai_kg.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH
from jichitai_kg.store import Inputs, open_read_only, prepare

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).parents[1] / "expected" / "cq"
ID = "https://w3id.org/jichitai-kg/id/"
SLUGS = ["kanagawa", "kamakura", "kyoto", "saitama", "tsukuba", "minato", "tokushima", "yokohama"]


# --------------------------------------------------------------------------- harness


@pytest.fixture(scope="module")
def store() -> ox.Store:
    # The content-addressed cache the CLI and server use: built once, reused while inputs match.
    path = prepare(Inputs.from_root(ROOT), ROOT / ".cache")
    return open_read_only(path)


@pytest.fixture(scope="module")
def catalog() -> cq.Catalog:
    return cq.load_catalog(ROOT / "queries")


@pytest.fixture(scope="module")
def ask(store, catalog):
    """Run a question with parameters; rows of python values keyed by column."""
    governments_rows = _solutions(store, catalog.get("governments").text, {"lang": '"ja"'})
    governments = cq.Governments.from_rows(
        [{k: v.value for k, v in r.items() if v is not None} for r in governments_rows])

    def run(qid: str, lang: str = "ja", inference: bool = True, **params) -> list[dict]:
        q = catalog.get(qid)
        binding = cq.bind(q, params, lang=lang, governments=governments)
        return _solutions(store, q.text, binding.substitutions, inference=inference)

    return run


def _term(nt: str):
    if nt.startswith("<"):
        return ox.NamedNode(nt[1:-1])
    return ox.Literal(nt[1:-1])


def _solutions(store, text, substitutions, inference=True) -> list[dict]:
    kwargs = {"substitutions": {ox.Variable(k): _term(v) for k, v in substitutions.items()}}
    if inference:
        kwargs["use_default_graph_as_union"] = True
    else:
        graphs = [ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(DATA_GRAPH))]
        kwargs["default_graph"] = graphs
        kwargs["named_graphs"] = graphs
    result = store.query(text, **kwargs)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names} for s in result]


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


# --------------------------------------------------------------------------- 1. category-matrix


def test_category_matrix_counts_overview_bullets(ask):
    """Bullets counted in each government's overview table (Yokohama's 組織文化 row has
    only a parenthetical note, no bullet: 0)."""
    expected = {}
    with open(EXPECTED / "category-matrix.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for category in ("culture", "resources", "information"):
                expected[(row["gov"], category)] = int(row[category])
    rows = ask("category-matrix")
    got = {(slug(r["gov"]), slug(r["category"])): int(r["initiatives"].value) for r in rows}
    assert len(rows) == 24  # every pair once, zeros included
    assert got == expected
    assert sum(got.values()) == 46


def test_category_matrix_filters_and_labels(ask):
    rows = ask("category-matrix", gov="140007")
    assert {(slug(r["gov"]), slug(r["category"])) for r in rows} == {
        ("kanagawa", "culture"), ("kanagawa", "resources"), ("kanagawa", "information")}
    assert {text(r["govLabel"]) for r in rows} == {"神奈川県"}
    assert {text(r["categoryLabel"]) for r in rows} == {"組織文化", "資源制約", "情報力・組織体制"}
    en = ask("category-matrix", lang="en", gov="yokohama", category="culture")
    assert len(en) == 1 and int(en[0]["initiatives"].value) == 0
    assert en[0]["categoryLabel"].value == "Organizational culture"
    assert en[0]["categoryLabel"].language == "en" and en[0]["govLabel"].language == "en"


# --------------------------------------------------------------------------- 2. initiatives-by-category


def _expected_initiatives():
    with open(EXPECTED / "initiatives-by-category.csv", encoding="utf-8") as f:
        return {(r["gov"], r["category"], norm(r["initiativeLabel"])) for r in csv.DictReader(f)}


def test_initiatives_by_category_lists_every_bullet(ask):
    rows = ask("initiatives-by-category")
    got = {(slug(r["gov"]), slug(r["category"]), text(r["initiativeLabel"])) for r in rows}
    assert got == _expected_initiatives()
    assert len(rows) == 46


def test_initiatives_by_category_in_report_order(ask):
    rows = ask("initiatives-by-category", gov="kanagawa", category="information")
    assert [text(r["initiativeLabel"]) for r in rows] == [
        "CDOの設置", norm("ICT・データ戦略課の設置(2019年6月)"), "RPA導入に係るガバナンスの基準策定"]


def test_initiatives_by_category_filter(ask):
    rows = ask("initiatives-by-category", category="culture", gov="tokushima")
    assert {text(r["initiativeLabel"]) for r in rows} == {
        "テレワークの推進", "テレビ会議の推進", "行政手続のオンライン化、電子決裁の推進"}
    assert ask("initiatives-by-category", category="culture", gov="yokohama") == []


def test_flagship_cases_in_report_order(ask):
    with open(EXPECTED / "flagship-cases.csv", encoding="utf-8") as f:
        expected = [(r["gov"], norm(r["initiativeLabel"])) for r in csv.DictReader(f)]
    rows = ask("flagship-cases")
    got = []
    for r in rows:  # one row per kind: keep each initiative once, in order
        key = (slug(r["gov"]), text(r["initiativeLabel"]))
        if key not in got:
            got.append(key)
    assert got == expected
    assert all(r["kind"] is not None for r in rows)
    rpa = {slug(r["gov"]) for r in rows if slug(r["kind"]) == "rpa"}
    assert rpa == {"kanagawa", "kamakura", "kyoto", "saitama", "tsukuba", "minato",
                   "tokushima", "yokohama"}  # every government shows an RPA case


# --------------------------------------------------------------------------- 3-4. posts


def test_cdo_is_kanagawa_only(ask):
    rows = ask("cdo")
    assert [(slug(r["gov"]), r["post"].value) for r in rows] == [
        ("kanagawa", ID + "post/kanagawa-cdo")]
    assert "CDO" in text(rows[0]["postLabel"])


def test_cio_posts(ask):
    rows = ask("cio-posts")
    by_gov = {}
    for r in rows:
        by_gov.setdefault(slug(r["gov"]), []).append(r)
    # 神奈川県 (CIO named in the narrative), つくば市 (副市長をCIOとする), 港区 (CIO補佐官,
    # 2013年度～), 徳島県 (CIO 最高情報統括監, 2006年4月から, 民間から登用).
    assert set(by_gov) == {"kanagawa", "tsukuba", "minato", "tokushima"}
    tokushima = by_gov["tokushima"]
    assert [date_key(r["since"]) for r in tokushima] == [(2006, 4)]
    assert text(tokushima[0]["holder"]) == "民間"
    minato = [r for r in by_gov["minato"] if has(r["postLabel"], "CIO補佐官")]
    assert minato and year(minato[0]["since"]) == 2013
    assert any(has(r["holder"], "副市長") for r in by_gov["tsukuba"])


# --------------------------------------------------------------------------- 5. rpa-adoption

#: (government, phase as printed in data/vocab/phase.ttl, fiscal/calendar year; None = report gives none)
RPA_PATH = {
    ("kanagawa", "実証", 2018),          # 2018年度に2業務を対象として実証事業
    ("kamakura", "実証", 2018),          # 2018年度に実施した実証結果
    ("kamakura", "本格導入", 2019),      # 2019年度に4課5業務に本格導入
    ("kyoto", "実証", 2017),             # RPA導入効果検証(2017年度)
    ("saitama", "試行", 2018),           # 2018年度に試行導入…15業務
    ("saitama", "拡大", 2019),           # 2019年度は10業務を選定して追加導入
    ("tsukuba", "実証", 2018),           # 2018年には…RPAを実証
    ("tsukuba", "本格導入", None),       # 窓口部門等の一部事務に本格導入 (no date)
    ("minato", "本格導入", 2018),        # 2018年2月から順次本格導入
    ("minato", "拡大", 2019),            # 更に導入を拡大し、令和元年度は…
    ("tokushima", "実証", 2018),         # 2018年度に…実証事業
    ("tokushima", "本格導入", 2019),     # 2019年度に全庁に展開
    ("yokohama", "実証", 2018),          # 2018年度に実施した実証実験
    ("yokohama", "試行", 2019),          # 2019年度は…試行運用
}


def test_rpa_adoption_path(ask):
    rows = ask("rpa-adoption")
    steps = {(slug(r["gov"]), text(r["phase"]), year(r["date"])) for r in rows
             if text(r["phase"]) in ("実証", "試行", "本格導入", "拡大") and r["outcome"] is None}
    assert steps == RPA_PATH


def test_rpa_adoption_operations_and_outcomes(ask):
    rows = ask("rpa-adoption")
    operations = {(slug(r["gov"]), year(r["date"]), r["operations"].value) for r in rows
                  if r["operations"] is not None and r["operations"].value.isdigit()}
    assert {("kanagawa", 2018, "2"), ("kamakura", 2019, "5"), ("saitama", 2018, "15"),
            ("saitama", 2019, "10"), ("tokushima", 2018, "6")} <= operations
    outcomes = {(slug(r["gov"]), number(r["outcome"]), text(r["unit"])) for r in rows
                if r["outcome"] is not None}
    assert {("minato", Decimal(6000), "時間/年"), ("minato", Decimal(10000), "時間/年"),
            ("tokushima", Decimal("96.2"), "%")} <= outcomes
    assert {g for g, _, _ in outcomes} <= {"minato", "tokushima"}


def test_rpa_adoption_minato_is_the_rpa_part_only(ask):
    """「港区AI元年」 bundles AI and RPA; only the RPA measure's own path may show:
    2018年2月から順次本格導入; 計11業務・年間約6,000時間の削減 (2019年12月現在);
    更に導入を拡大し、令和元年度は年間計約10,000時間の削減を目指している."""
    rows = ask("rpa-adoption", gov="minato")
    assert {r["initiative"].value for r in rows} == {ID + "initiative/minato-rpa"}
    got = set()
    for r in rows:
        ops = r["operations"].value if r["operations"] is not None else None
        got.add((text(r["phase"]), date_key(r["date"]), ops if ops and ops.isdigit() else None,
                 number(r["outcome"]), text(r["unit"]) or None))
    assert got == {
        ("本格導入", (2018, 2), None, None, None),
        ("運用中", (2019, 12), "11", None, None),
        ("運用中", (2019, 12), None, Decimal(6000), "時間/年"),
        ("拡大", (2019, None), None, None, None),
        ("拡大", (2019, 12), None, Decimal(10000), "時間/年"),
    }


#: A bundle whose AI part is split off while the bundle still lists every milestone itself
#: (the other way a file could model it), and a video-conferencing bundle with a component.
BUNDLE_TTL = """
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kind: <https://w3id.org/jichitai-kg/id/kind/> .
@prefix phase: <https://w3id.org/jichitai-kg/id/phase/> .
@prefix t: <https://w3id.org/jichitai-kg/id/time/> .
@prefix ex: <https://example.org/> .
kind:ai-chatbot skos:broader kind:ai .
ex:bundle jkg:government ex:gov ; jkg:kind kind:rpa , kind:ai-chatbot , kind:video-conferencing ;
    dcterms:hasPart ex:ai-part , ex:video-part ; jkg:hasMilestone ex:m-rpa , ex:m-ai , ex:m-paper .
ex:ai-part jkg:government ex:gov ; jkg:kind kind:ai-chatbot ; jkg:hasMilestone ex:m-ai .
ex:video-part dcterms:isPartOf ex:bundle ; jkg:government ex:gov ; jkg:kind kind:video-conferencing ;
    jkg:hasMilestone ex:m-video .
ex:m-rpa jkg:phase phase:full-deployment ; jkg:when t:2018-02 ; dcterms:date "2018-02" .
ex:m-ai jkg:phase phase:in-operation ; jkg:when t:2019-12 ; dcterms:date "2019-12" .
ex:m-paper jkg:phase phase:expansion ; jkg:when t:2016-01 ; dcterms:date "2016-01" .
ex:m-video jkg:phase phase:in-operation ; jkg:when t:2017-07 ; dcterms:date "2017-07" .
t:2016-01 jkg:startDate "2016-01-01" . t:2017-07 jkg:startDate "2017-07-01" .
t:2018-02 jkg:startDate "2018-02-01" . t:2019-12 jkg:startDate "2019-12-01" .
"""


def test_questions_prefer_components_over_bundles(catalog):
    """Whichever way a bundle is written, a question about one kind of measure reads the
    component of that kind, and never a milestone of a component of another kind."""
    small = ox.Store()
    small.load(BUNDLE_TTL, format=ox.RdfFormat.TURTLE)

    def run(qid):
        result = small.query(catalog.get(qid).text,
                             substitutions={ox.Variable("lang"): ox.Literal("ja")})
        names = [v.value for v in result.variables]
        return [{n: s[n] for n in names} for s in result]

    rpa = run("rpa-adoption")
    assert {(slug(r["initiative"]), r["date"].value) for r in rpa} == {("bundle", "2018-02"),
                                                                     ("bundle", "2016-01")}
    ai = run("ai-services")
    assert {(slug(r["initiative"]), slug(r["kind"])) for r in ai} == {("ai-part", "ai-chatbot")}
    video = run("video-conferencing")
    assert [(slug(r["initiative"]), r["since"].value) for r in video] == [("video-part", "2017-07")]


# --------------------------------------------------------------------------- 6-8. technology


def test_ai_services(ask):
    rows = ask("ai-services")
    got = {(slug(r["gov"]), slug(r["kind"])) for r in rows}
    assert got == {
        ("kanagawa", "ai-chatbot"), ("kanagawa", "ai-ocr"), ("kanagawa", "speech-recognition"),
        ("saitama", "ai-chatbot"), ("saitama", "ai-ocr"), ("saitama", "speech-recognition"),
        ("minato", "ai-chatbot"), ("minato", "ai-minutes"), ("minato", "ai-matching"),
        ("minato", "machine-translation"), ("minato", "ai-ocr"),
        ("tokushima", "ai-faq"), ("tokushima", "ai-ocr"),
        ("yokohama", "ai-chatbot"),
    }
    kanagawa = {text(r["phase"]) for r in rows if slug(r["gov"]) == "kanagawa"}
    assert kanagawa == {"実証"}  # 2018年度から…実証を随時実施中
    assert {text(r["phase"]) for r in rows if slug(r["gov"]) == "yokohama"} == {"本格導入"}
    # 港区: AIは5業務で活用（2019年12月現在）; RPA's phases belong to the RPA part, not to AI.
    minato = [r for r in rows if slug(r["gov"]) == "minato"]
    assert {slug(r["initiative"]) for r in minato} == {"minato-ai-services"}
    assert {text(r["phase"]) for r in minato} == {"運用中"}


def test_telework(ask):
    rows = ask("telework")
    assert {slug(r["gov"]) for r in rows} == {"kanagawa", "kamakura", "tokushima"}
    kamakura = [r for r in rows if slug(r["gov"]) == "kamakura"]
    # 2018年度末から課長職以上の職員のテレワークを試行導入
    assert any(year(r["date"]) == 2018 for r in kamakura)


def test_video_conferencing(ask):
    rows = ask("video-conferencing")
    assert {slug(r["gov"]) for r in rows} == {"kyoto", "minato", "tokushima"}
    tokushima = [r for r in rows if slug(r["gov"]) == "tokushima"]
    assert [number(r["sites"]) for r in tokushima] == [Decimal(11)]  # 計11カ所


def test_video_conferencing_minato_since_july_2017(ask):
    """②テレビ会議システム(2017年7月～…), not ①ペーパーレス会議 (2016年1月) of the same bullet."""
    rows = [r for r in ask("video-conferencing") if slug(r["gov"]) == "minato"]
    assert [date_key(r["since"]) for r in rows] == [(2017, 7)]
    assert [slug(r["initiative"]) for r in rows] == ["minato-video-conferencing"]


# --------------------------------------------------------------------------- 9. partners


def _company(label: str) -> str:
    s = norm(label)
    for noise in ("株式会社", "(株)", "一般社団法人", "(一社)"):
        s = s.replace(noise, "")
    return s


def test_partners(ask):
    rows = ask("partners")
    assert {slug(r["gov"]) for r in rows} == {"kamakura", "kyoto", "tsukuba"}
    iris = {(slug(r["gov"]), r["partner"].value) for r in rows}
    assert ("kamakura", ID + "partner/line-corp") in iris
    assert ("tsukuba", ID + "partner/university-of-tsukuba") in iris
    names = {(slug(r["gov"]), _company(r["partnerLabel"].value)) for r in rows}
    assert {("kamakura", "LINE"), ("kamakura", "サイボウズ"), ("kamakura", "電通アイソバー"),
            ("kamakura", "コード・フォー・ジャパン"), ("kamakura", "セーフティネットリンケージ"),
            ("kyoto", "北海道"), ("kyoto", "鹿児島県"), ("kyoto", "総務省"),
            ("kyoto", "地方行財政調査会"), ("tsukuba", "筑波大学")} <= names


def test_partners_by_kind(ask):
    rows = ask("partners", kind="university")
    assert {(slug(r["gov"]), text(r["partnerLabel"])) for r in rows} == {("tsukuba", "筑波大学")}
    assert {slug(r["partnerKind"]) for r in rows} == {"university"}
    gov_rows = ask("partners", kind="government")
    assert {"北海道", "鹿児島県"} <= {text(r["partnerLabel"]) for r in gov_rows}
    assert {slug(r["gov"]) for r in gov_rows} == {"kyoto"}


# --------------------------------------------------------------------------- 10. plans-timeline

#: (government, name as printed, adoption (year, month) or None, period start, period end)
PLANS = [
    ("tokushima", "e-とくしま推進プラン", (2004, None), "2004-04-01", "2014-03-31"),
    ("yokohama", "横浜市情報化の基本方針", (2011, 2), None, None),
    ("tokushima", "業務・システム最適化ガイドライン", (2011, 3), None, None),
    ("tokushima", "ICTとくしま創造戦略", None, "2014-04-01", "2021-03-31"),
    ("saitama", "埼玉県ICT推進アクションプラン2017-2019", (2017, 4), None, None),
    ("minato", "みなとワークスタイル宣言", (2017, 7), None, None),
    ("minato", "港区情報化計画", (2018, 3), None, None),
    ("tokushima", "とくしま新未来データ活用推進戦略", None, "2018-04-01", "2021-03-31"),
    ("yokohama", "横浜市官民データ活用推進計画", (2018, 5), "2018-04-01", "2022-03-31"),
    ("tsukuba", "つくば市情報化推進計画", (2018, 9), None, None),
    ("kyoto", "京都府スマート社会推進計画", (2019, None), None, None),
    ("kanagawa", "かながわICT・データ利活用推進計画", (2019, 7), None, None),
    ("kamakura", "第3次鎌倉市総合計画第4期基本計画", None, "2020-04-01", None),
]


def test_plans_timeline(ask):
    rows = ask("plans-timeline")
    by_name = {(slug(r["gov"]), text(r["planLabel"]).replace("(愛して)", "")): r for r in rows}
    for gov, name, adopted, start, end in PLANS:
        row = by_name.get((gov, norm(name)))
        assert row is not None, f"{gov}: {name} missing"
        if adopted:
            got = date_key(row["adopted"])
            assert got[0] == adopted[0] and (adopted[1] is None or got[1] == adopted[1]), name
        if start:
            assert row["periodStart"] is not None and row["periodStart"].value == start, name
        if end:
            assert row["periodEnd"] is not None and row["periodEnd"].value == end, name
    assert {slug(r["gov"]) for r in rows} == set(SLUGS)


def test_plans_timeline_is_in_adoption_order(ask):
    rows = ask("plans-timeline")
    position = {(slug(r["gov"]), text(r["planLabel"]).replace("(愛して)", "")): i
                for i, r in enumerate(rows)}
    order = [position[(gov, norm(name))] for gov, name, *_ in PLANS]
    assert order == sorted(order)


# --------------------------------------------------------------------------- 11. figures

#: (government, value, unit as printed in data/vocab/unit-of-measure.ttl, approximate?) — from the report.
FIGURES = {
    ("kanagawa", Decimal(14000), "台", True),        # 約14,000台のノートパソコン
    ("kanagawa", Decimal(2), "業務", False),         # 2018年度に2業務
    ("kanagawa", Decimal(5), "業務", False),         # 2019年度中には5業務
    ("kamakura", Decimal(8), "ライフイベント", False),  # 8つのライフイベント
    ("kamakura", Decimal(38), "課", False),          # 38課を対象に実施
    ("kyoto", Decimal(29), "人", False),             # 3年間で29名
    ("kyoto", Decimal(300), "人", True),             # 全庁で約300人弱
    ("saitama", Decimal(210), "件", False),          # 提案数は210件
    ("saitama", Decimal(133), "課", False),          # 当時の全133課
    ("saitama", Decimal(26), "事業", False),         # 26の事業
    ("saitama", Decimal(1400000000), "円", True),    # 約14億円
    ("saitama", Decimal(32), "事業", False),         # 32事業
    ("saitama", Decimal(1500000000), "円", True),    # 約15億円
    ("saitama", Decimal(15), "業務", False),         # 15業務にRPAを導入
    ("saitama", Decimal(10), "業務", False),         # 10業務を選定して追加導入
    ("saitama", Decimal(100), "業務", True),         # 100を超える業務
    ("minato", Decimal(27), "取組", False),          # 27の取組
    ("minato", Decimal(11), "業務", False),          # 計11業務
    ("minato", Decimal(6000), "時間/年", True),      # 年間約6,000時間
    ("minato", Decimal(10000), "時間/年", True),     # 年間計約10,000時間
    ("minato", Decimal(178), "人", False),           # 職員178名が参加
    ("tokushima", Decimal(6), "業務", False),        # 6業務27パターン
    ("tokushima", Decimal(27), "パターン", False),
    ("tokushima", Decimal("96.2"), "%", False),      # 96.2%の削減
    ("tokushima", Decimal(11), "カ所", False),       # 計11カ所
}


def test_figures(ask):
    rows = ask("figures")
    got = {(slug(r["gov"]), number(r["value"]), text(r["unit"]),
            None if r["approximate"] is None else r["approximate"].value == "true") for r in rows}
    missing = FIGURES - got
    assert not missing, f"figures of the report not found: {sorted(missing)}"
    assert {slug(r["gov"]) for r in rows} <= set(SLUGS)
    assert all(r["value"] is not None and r["subject"] is not None for r in rows)


def test_figures_en_units(ask):
    rows = ask("figures", lang="en", gov="minato")
    assert ("hours per year", Decimal(6000)) in {(r["unit"].value, number(r["value"])) for r in rows
                                               if r["unit"] is not None}


# --------------------------------------------------------------------------- 12-13. organization

#: (government, name as printed, (year, month) of creation)
UNITS = {
    ("kanagawa", "ICT・データ戦略課", (2019, 6)),          # ICT・データ戦略課の設置(2019年6月)
    ("kamakura", "行政経営部", (2018, 4)),                 # 行政経営部を新設（2018年4月）
    ("kamakura", "パブリテック担当", (2018, 4)),
    ("kyoto", "働き方改革プロジェクト・チーム", (2017, None)),  # 2017年度に…設置
    ("saitama", "企画幹", (2019, None)),                   # 2019年度には…企画幹の職を新設
    ("saitama", "AI推進担当", (2019, None)),
    ("saitama", "スマート県庁推進会議", (2019, 6)),         # 2019年6月に設置
    ("tsukuba", "デジタル・ガバメント推進本部", (2019, 8)),  # 2019年8月には…整備
    ("minato", "情報政策課", (2016, None)),                # 2016年度に名称変更
    ("minato", "ICT推進担当", (2016, None)),
    ("minato", "CIO補佐官", (2013, None)),                 # 2013年度～
    ("tokushima", "最高情報統括監", (2006, 4)),            # 2006年4月から
    ("yokohama", "ICT調達統制担当部門", (2018, None)),      # 2018年度から
}


def test_dedicated_units(ask):
    rows = ask("dedicated-units")
    matched = set()
    for r in rows:
        hits = [u for u in UNITS if u[0] == slug(r["gov"]) and has(r["unitLabel"], u[1])]
        assert hits, f"unexpected unit {slug(r['gov'])}: {r['unitLabel'].value}"
        for gov, name, (y, m) in hits:
            got = date_key(r["created"])
            assert got[0] == y and (m is None or got[1] == m), (name, r["created"])
            matched.add((gov, name, (y, m)))
    assert matched == UNITS


def test_leadership_bodies(ask):
    rows = ask("leadership-bodies")
    got = {(slug(r["gov"]), text(r["bodyLabel"])) for r in rows}
    assert got == {("kyoto", "京都府時間外勤務縮減推進委員会"),  # 副知事が委員長
                   ("saitama", "スマート県庁推進会議"),          # 副知事をトップ
                   ("tokushima", "ICT推進本部")}                # 知事が本部長
    heads = {slug(r["gov"]): text(r["head"]) for r in rows}
    assert heads["kyoto"].endswith("副知事") and heads["saitama"].endswith("副知事")
    assert heads["tokushima"].endswith("知事") and "副" not in heads["tokushima"]


# --------------------------------------------------------------------------- 14-15. people


def test_training(ask):
    rows = ask("training")
    got = {(slug(r["gov"]), text(r["initiativeLabel"]), slug(r["statedCategory"])) for r in rows}
    expected = {
        ("kanagawa", "ICT分野全体における研修体系の構築", "resources"),
        ("kanagawa", "ICT分野における人材モデルとキャリアパスの構築", "resources"),
        ("kamakura", "ICT取組に係る説明会や研修の実施", "culture"),
        ("kyoto", "アセッサー活動", "culture"),  # …推進する人材の育成
        ("kyoto", "データサイエンティスト養成研修", "resources"),
        ("saitama", "ICTリテラシー向上に向けた取組", "resources"),
        ("tsukuba", "職層ごとのデータ利活用研修", "culture"),
        ("tsukuba", norm("「データ利活用研修」の職員研修計画への組み込み"), None),  # flagship case
        ("tsukuba", "筑波大学包括協定に基づくデータ活用人材の確保", "resources"),
        ("minato", "ICTリテラシー研修", "culture"),
        ("minato", "ICTに関する人材育成と庁内適用可能性調査", "resources"),
        ("yokohama", "ICT関連分野の各種研修実施", "resources"),
        ("yokohama", "ICTに関する人材育成プランの策定", "resources"),
    }
    assert expected <= got
    # Yokohama's 基礎的マインド・知識実践プラン is told in the narrative only.
    assert {(g, c) for g, _, c in got - expected} <= {("yokohama", None)}


def test_external_expertise(ask):
    rows = ask("external-expertise")
    assert {slug(r["gov"]) for r in rows} == {"kamakura", "kyoto", "tsukuba", "minato", "tokushima"}
    items = {(slug(r["gov"]), text(r["itemLabel"]), text(r["source"])) for r in rows}
    assert ("tokushima", "最高情報統括監", "民間") in items  # 民間出身のICT専門家がCIO
    assert any(g == "tsukuba" and "顧問" in i and s == "大学" for g, i, s in items)  # 筑波大学教授
    assert any(g == "minato" and "CIO補佐官" in i for g, i, _ in items)
    assert any(g == "tokushima" and "情報セキュリティ・アドバイザ" in i for g, i, _ in items)
    assert ("kyoto", "民間企業への派遣", "民間企業への職員派遣") in items
    assert any(g == "kamakura" and s == "民間企業からの研修員受入れ" for g, _, s in items)


# --------------------------------------------------------------------------- 16. disagreements


def test_classification_disagreements(ask):
    """Training filed under 組織文化 while the ontology files training under 資源制約（人材）."""
    rows = ask("classification-disagreements")
    got = {(slug(r["gov"]), text(r["initiativeLabel"]), slug(r["statedCategory"]),
            slug(r["derivedCategory"])) for r in rows}
    assert got == {("tsukuba", "職層ごとのデータ利活用研修", "culture", "resources"),
                   ("minato", "ICTリテラシー研修", "culture", "resources")}


def test_classification_disagreements_need_inference(ask):
    assert ask("classification-disagreements", inference=False) == []


# --------------------------------------------------------------------------- 17. profile


def test_government_profile_kanagawa(ask):
    rows = ask("government-profile", gov="kanagawa")
    sections = {}
    for r in rows:
        sections.setdefault(r["section"].value, []).append(r)
    assert set(sections) == {"plan", "unit", "post", "initiative", "figure"}
    assert [text(r["itemLabel"]) for r in sections["plan"]] == ["かながわICT・データ利活用推進計画"]
    assert any(has(r["itemLabel"], "ICT・データ戦略課") for r in sections["unit"])
    assert {text(r["detail"]) for r in sections["post"]} >= {"CDO", "CIO"}
    details = [text(r["detail"]) for r in sections["initiative"]]
    assert details.count("組織文化") == 2 and details.count("資源制約") == 2
    assert details.count("情報力・組織体制") == 3
    assert details.count("具体的な先進事例") == 2  # RPAの本格導入, AI活用サービスの実証実験
    assert any(text(r["detail"]).startswith("14000") for r in sections["figure"])
    assert {slug(r["gov"]) for r in rows} == {"kanagawa"}


def test_government_profile_minato_components(ask):
    """港区's two flagship bullets stay flagship cases; their numbered measures are parts."""
    rows = ask("government-profile", gov="minato")
    initiatives = {text(r["itemLabel"]): text(r["detail"]) for r in rows
                   if r["section"].value == "initiative"}
    details = list(initiatives.values())
    assert details.count("具体的な先進事例") == 2
    assert details.count("組織文化") == 3 and details.count("資源制約") == 1
    assert details.count("情報力・組織体制") == 2
    parts = {label: detail for label, detail in initiatives.items() if detail.endswith("の一部")}
    efficiency = norm("「ICTの活用による業務の効率化」の一部")
    assert parts == {
        "AIの活用": norm("「港区AI元年」の一部"), "RPAの活用": norm("「港区AI元年」の一部"),
        "ペーパーレス会議システム": efficiency, "テレビ会議システム": efficiency,
        "庁内PC無線化": efficiency, "フリーアドレス": efficiency,
    }
    en = ask("government-profile", gov="minato", lang="en")
    assert {r["detail"].value for r in en if r["item"].value == ID + "initiative/minato-rpa"} == {
        "part of 'Minato AI Year One'"}


def test_government_profile_requires_gov(catalog):
    with pytest.raises(cq.ParameterError):
        cq.bind(catalog.get("government-profile"), {}, governments=cq.Governments([]))


def test_governments_question(ask):
    rows = ask("governments")
    assert [slug(r["gov"]) for r in rows] == SLUGS  # the report's order
    assert {r["slug"].value: r["dantaiCode"].value for r in rows}["kanagawa"] == "140007"
