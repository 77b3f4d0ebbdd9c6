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
from decimal import Decimal

import pyoxigraph as ox

from answer_terms import EXPECTED, ID, date_key, has, norm, number, slug, text, year

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
