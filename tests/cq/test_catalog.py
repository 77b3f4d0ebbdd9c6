"""The catalog itself: every query file's header, and how parameters become RDF terms.

No store is needed here: these tests pin the file format (docs/conventions.md)
and the parameter rules (IRI / slug / 団体コード, errors that name valid values).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jichitai_kg import cq

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
GOV = "https://w3id.org/jichitai-kg/id/gov/"
CATEGORY = "https://w3id.org/jichitai-kg/id/category/"

#: The questions' contract: question ids and their result columns, in order.
CONTRACT = {
    "category-matrix": "gov govLabel category categoryLabel initiatives",
    "initiatives-by-category": "gov govLabel initiative initiativeLabel category categoryLabel",
    "cdo": "gov govLabel post postLabel since",
    "cio-posts": "gov govLabel post postLabel since holder",
    "rpa-adoption": "gov govLabel initiative phase date operations outcome unit",
    "ai-services": "gov govLabel initiative initiativeLabel kind kindLabel phase",
    "telework": "gov govLabel initiative initiativeLabel date",
    "video-conferencing": "gov govLabel initiative since sites",
    "partners": "gov govLabel partner partnerLabel partnerKind initiative",
    "plans-timeline": "gov govLabel plan planLabel adopted periodStart periodEnd",
    "figures": "gov govLabel subject subjectLabel value unit asOf approximate",
    "dedicated-units": "gov govLabel unit unitLabel created",
    "leadership-bodies": "gov govLabel body bodyLabel head",
    "training": "gov govLabel initiative initiativeLabel statedCategory",
    "external-expertise": "gov govLabel item itemLabel source",
    "classification-disagreements":
        "gov govLabel initiative initiativeLabel statedCategory derivedCategory",
    "government-profile": "section item itemLabel detail",
}

#: What the governments question would return; written from data/gov (codes from the
#: nationwide code list, as conventions.md requires), kept small for the binding tests.
GOVERNMENTS = cq.Governments([
    cq.Government(GOV + "kanagawa", "kanagawa", "140007", "神奈川県"),
    cq.Government(GOV + "tsukuba", "tsukuba", "082201", "つくば市"),
    cq.Government(GOV + "minato", "minato", "131032", "港区"),
])


@pytest.fixture(scope="module")
def catalog() -> cq.Catalog:
    return cq.load_catalog(QUERIES)


def test_every_contract_question_is_in_the_catalog_with_its_columns(catalog):
    for qid, columns in CONTRACT.items():
        assert qid in catalog, f"queries/{qid}.rq is missing"
        assert catalog.get(qid).columns == tuple(columns.split()), qid


def test_catalog_skips_checks_and_app_queries(catalog):
    paths = {q.path.parent for q in catalog}
    assert paths == {QUERIES}
    assert not any(q.id.endswith("-violation") or q.id.startswith(("home-", "ld-"))
                   for q in catalog)


def test_catalog_order_follows_the_issue(catalog):
    ids = [q for q in catalog.ids() if q in CONTRACT]
    assert ids == list(CONTRACT)


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_header_is_complete(path):
    q = cq.parse_question(path.read_text(encoding="utf-8"), path)
    assert q.id == path.stem
    for key in ("title", "question"):
        assert getattr(q, key)["en"].strip() and getattr(q, key)["ja"].strip()
        # The Japanese text is Japanese, not a copy of the English one.
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", getattr(q, key)["ja"])
    assert q.columns
    # Every column and every parameter variable is projected by the query.
    select = re.search(r"^SELECT\b(.*?)\bWHERE\b", q.text, re.S | re.M | re.I)
    assert select, "a competency question is a SELECT query"
    projected = set(re.findall(r"\?(\w+)(?=\s|\)|$)", re.sub(r"\([^()]*\bAS\b", "(", select.group(1))))
    projected |= set(re.findall(r"\bAS\s+\?(\w+)", select.group(1)))
    for column in q.columns:
        assert column in projected, f"{path.name}: column {column} is not projected"
    for p in q.params:
        assert p.var in projected, f"{path.name}: parameter ?{p.var} must be projected " \
                                   "(pyoxigraph substitutes projected variables only)"
    if "?lang" in q.text:
        assert "lang" in projected, f"{path.name}: ?lang must be projected"


def test_no_query_text_in_python():
    """SPARQL lives in the .rq files: no module of the package holds SELECT/WHERE text."""
    modules = sorted((ROOT / "src" / "jichitai_kg").rglob("*.py"))
    assert len(modules) > 30
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"SELECT\s+[?*(]|WHERE\s*\{|CONSTRUCT\s*\{", text), module


# --------------------------------------------------------------------------- header format


def _write(tmp_path: Path, name: str, header: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(header + "\nSELECT ?x ?lang WHERE { ?x ?p ?o }\n", encoding="utf-8")
    return path


GOOD_HEADER = """# id: demo
# title: Demo
# title@ja: デモ
# question: What?
# question@ja: 何か。
# param: gov | government | optional | A government
# param: kind (?partnerKind) | partner-kind | required | company, university
# columns: x"""


def test_header_parsing(tmp_path):
    q = cq.parse_question(_write(tmp_path, "demo", GOOD_HEADER).read_text(), tmp_path / "demo.rq")
    assert q.title == {"en": "Demo", "ja": "デモ"}
    assert [(p.name, p.var, p.type, p.required) for p in q.params] == [
        ("gov", "gov", "government", False), ("kind", "partnerKind", "partner-kind", True)]
    assert q.param("kind").allowed == ("company", "university")
    assert q.localized("title", "ja") == "デモ" and q.localized("title", "en") == "Demo"


@pytest.mark.parametrize("broken, message", [
    (GOOD_HEADER.replace("# id: demo", "# id: other"), "does not match the file name"),
    (GOOD_HEADER.replace("# title@ja: デモ\n", ""), "title"),
    (GOOD_HEADER.replace("# columns: x", "# columns:"), "columns"),
    (GOOD_HEADER.replace("| optional |", "| maybe |"), "required' or 'optional"),
    (GOOD_HEADER.replace("| government |", "| city |"), "unknown type"),
    (GOOD_HEADER.replace("| company, university", "| "), "lists no allowed value"),
    (GOOD_HEADER.replace("# param: gov | government | optional | A government",
                         "# param: gov | government"), "needs 4 fields"),
])
def test_broken_headers_are_rejected_with_the_file_name(tmp_path, broken, message):
    path = _write(tmp_path, "demo", broken)
    with pytest.raises(cq.CatalogError) as err:
        cq.parse_question(path.read_text(), path)
    assert message in str(err.value) and "demo.rq" in str(err.value)


# --------------------------------------------------------------------------- binding


@pytest.mark.parametrize("value", [
    "kanagawa", "KANAGAWA", "140007", "１４０００７", "14000", GOV + "kanagawa", f"<{GOV}kanagawa>",
    "gov:kanagawa", "神奈川県",
])
def test_government_by_iri_slug_or_code(catalog, value):
    b = cq.bind(catalog.get("category-matrix"), {"gov": value}, governments=GOVERNMENTS)
    assert b.substitutions["gov"] == f"<{GOV}kanagawa>"
    assert b.substitutions["lang"] == '"ja"'


def test_code_with_leading_zero_is_kept(catalog):
    b = cq.bind(catalog.get("category-matrix"), {"gov": "082201"},
                governments=GOVERNMENTS)
    assert b.substitutions["gov"] == f"<{GOV}tsukuba>"


def test_unknown_government_names_the_valid_values(catalog):
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(catalog.get("category-matrix"), {"gov": "osaka"}, governments=GOVERNMENTS)
    msg = str(err.value)
    assert "osaka" in msg
    for expected in ("kanagawa (140007, 神奈川県)", "tsukuba (082201, つくば市)", "minato"):
        assert expected in msg
    assert err.value.param == "gov"
    assert len(err.value.valid) == 3


def test_value_that_looks_like_sparql_is_just_an_unknown_value(catalog):
    """Values never reach the query text: an injection attempt is an unknown government."""
    with pytest.raises(cq.ParameterError):
        cq.bind(catalog.get("category-matrix"), {"gov": "kanagawa> } UNION { ?s ?p ?o"},
                governments=GOVERNMENTS)


def test_category_by_local_name_or_iri(catalog):
    q = catalog.get("initiatives-by-category")
    assert cq.bind(q, {"category": "culture"}).substitutions["category"] == f"<{CATEGORY}culture>"
    assert cq.bind(q, {"category": CATEGORY + "information"}).substitutions["category"] == \
        f"<{CATEGORY}information>"
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(q, {"category": "money"})
    assert "culture, resources, information" in str(err.value)


def test_partner_kind_binds_the_declared_variable(catalog):
    b = cq.bind(catalog.get("partners"), {"kind": "university"}, governments=GOVERNMENTS)
    assert b.substitutions["partnerKind"] == "<https://w3id.org/jichitai-kg/id/partner-kind/university>"
    assert "kind" not in b.substitutions


def test_unknown_parameter_name_lists_the_valid_ones(catalog):
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(catalog.get("category-matrix"), {"goverment": "kanagawa"}, governments=GOVERNMENTS)
    assert "goverment" in str(err.value) and "gov, category" in str(err.value)


def test_missing_required_parameter(catalog):
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(catalog.get("government-profile"), {}, governments=GOVERNMENTS)
    assert "'gov'" in str(err.value) and "kanagawa (140007" in str(err.value)


def test_optional_parameters_left_out_stay_unbound(catalog):
    b = cq.bind(catalog.get("category-matrix"), {"gov": ""}, lang="en", governments=GOVERNMENTS)
    assert b.substitutions == {"lang": '"en"'}


def test_language_must_be_ja_or_en(catalog):
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(catalog.get("cdo"), {}, lang="fr")
    assert "ja, en" in str(err.value)


def test_governments_are_only_looked_up_when_needed(catalog):
    calls = []

    def lookup():
        calls.append(1)
        return GOVERNMENTS

    cq.bind(catalog.get("cdo"), {}, governments=lookup)
    cq.bind(catalog.get("category-matrix"), {}, governments=lookup)
    assert calls == []
    cq.bind(catalog.get("category-matrix"), {"gov": "minato"}, governments=lookup)
    assert calls == [1]


def test_unknown_question_lists_known_ids(catalog):
    with pytest.raises(cq.UnknownQuestion) as err:
        catalog.get("no-such-question")
    assert "category-matrix" in str(err.value)


def test_instance_parameters_take_an_iri_or_a_local_name(tmp_path):
    header = GOOD_HEADER.replace(
        "# param: kind (?partnerKind) | partner-kind | required | company, university",
        "# param: initiative | initiative | required | An initiative: IRI or local name")
    q = cq.parse_question(_write(tmp_path, "demo", header).read_text(), tmp_path / "demo.rq")
    iri = "https://w3id.org/jichitai-kg/id/initiative/kanagawa-mobile-pc"
    for value in ("kanagawa-mobile-pc", iri, f"<{iri}>", "initiative:kanagawa-mobile-pc"):
        assert cq.bind(q, {"initiative": value}).substitutions["initiative"] == f"<{iri}>"
    with pytest.raises(cq.ParameterError) as err:
        cq.bind(q, {"initiative": "Kanagawa Mobile PC"})
    assert "local name" in str(err.value)


def test_non_strict_loading_leaves_a_broken_file_out(tmp_path):
    _write(tmp_path, "demo", GOOD_HEADER)
    _write(tmp_path, "broken", GOOD_HEADER.replace("# id: demo", "# id: broken").replace(
        "# columns: x", ""))
    with pytest.raises(cq.CatalogError):
        cq.load_catalog(tmp_path)
    lenient = cq.load_catalog(tmp_path, strict=False)
    assert lenient.ids() == ["demo"]
    assert len(lenient.errors) == 1 and "broken.rq" in lenient.errors[0]
