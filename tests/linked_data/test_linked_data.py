"""Dereferenceable IRIs, the ontology document, the JSON-LD context and the downloads.

For a sample IRI of every kind the test asks for HTML and for each RDF format through
content negotiation (303 to a document) and through the format suffixes, and compares
the RDF with a SPARQL DESCRIBE run on the same store.  Expected labels and figures are
taken from the report (e.g. Minato: RPA saved about 6,000 hours a year, Dec. 2019).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from jichitai_kg.content import app_query
from jichitai_kg.linked_data import dumps as export
from jichitai_kg.namespaces import BASE, ONTOLOGY_GRAPH
from jichitai_kg.query.execution.runner import StoreRunner
from jichitai_kg.web.state import get_dataset

ROOT = Path(__file__).resolve().parents[2]

RDF_TYPES = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", ox.RdfFormat.RDF_XML),
}

#: One IRI of each kind the graph mints, with its Japanese label as printed in the report.
SAMPLES = {
    "government": ("id/gov/kanagawa", "神奈川県"),
    "unit": ("id/unit/kanagawa-ict-data-strategy-division", "ICT・データ戦略課"),
    "post": ("id/post/kanagawa-cdo", "CDO"),
    "plan": ("id/plan/kanagawa-ict-data-plan", "かながわICT・データ利活用推進計画"),
    "initiative": ("id/initiative/kanagawa-rpa-full-deployment", "RPAの本格導入"),
    "milestone": ("id/event/kanagawa-rpa-verification-fy2018", None),
    "figure": ("id/figure/minato-rpa-hours-saved", None),
    "concept": ("id/category/culture", "組織文化"),
    "kind": ("id/kind/rpa", "RPA"),
    "report-location": ("id/source/kanagawa-heading", None),
    "time": ("id/time/fy2018", None),
    "partner": ("id/partner/line-corp", None),
}


def parse(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, fmt)}


def canonical(triples) -> list[str]:
    ds = ox.Dataset([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def describe(kg: ox.Store, iri: str) -> set[ox.Triple]:
    return set(StoreRunner(kg).construct(app_query("ld-describe-reference"), resource=ox.NamedNode(iri)))


# --------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_html_for_browsers(client, kind):
    path, label = SAMPLES[kind]
    resp = client.get(f"/{path}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/{path}.html"
    # HTML also depends on the language cookie and Accept-Language.
    assert {v.strip() for v in resp.headers["Vary"].split(",")} == {"Accept", "Cookie", "Accept-Language"}
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert f"<code>{BASE}{path}</code>" in text
    if label:
        assert label in text


@pytest.mark.parametrize("media_type", list(RDF_TYPES))
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_rdf_by_negotiation_contains_the_describe_triples(client, kg, kind, media_type):
    path, _ = SAMPLES[kind]
    ext, fmt = RDF_TYPES[media_type]
    resp = client.get(f"/{path}", headers={"Accept": media_type})
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/{path}.{ext}"
    doc = client.get(resp.headers["Location"])
    assert doc.status_code == 200
    assert doc.mimetype == media_type
    got = parse(doc.data, fmt)
    want = describe(kg, BASE + path)
    assert want, f"DESCRIBE found nothing for {path}"
    if media_type == "application/n-triples":
        # N-Triples keeps the store's blank-node labels: exact containment.
        assert want <= got
    else:
        nt = parse(client.get(f"/{path}.nt").data, ox.RdfFormat.N_TRIPLES)
        assert canonical(got) == canonical(nt)
        ground = {t for t in want if not any(isinstance(x, ox.BlankNode) for x in (t.subject, t.object))}
        assert ground <= got


def test_rdf_document_holds_incoming_links(client):
    got = parse(client.get("/id/gov/kanagawa.nt").data, ox.RdfFormat.N_TRIPLES)
    # The report's Kanagawa table lists "RPAの本格導入" as a Kanagawa initiative.
    assert ox.Triple(ox.NamedNode(BASE + "id/initiative/kanagawa-rpa-full-deployment"),
                     ox.NamedNode("https://w3id.org/jichitai-kg/ontology#government"),
                     ox.NamedNode(BASE + "id/gov/kanagawa")) in got


def test_links_and_license_headers(client):
    resp = client.get("/id/gov/kanagawa", headers={"Accept": "text/turtle"})
    link = resp.headers["Link"]
    for ext, media_type in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                            ("nt", "application/n-triples"), ("rdf", "application/rdf+xml"),
                            ("html", "text/html")):
        assert f'</id/gov/kanagawa.{ext}>; rel="alternate"; type="{media_type}"' in link
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in link
    doc = client.get("/id/gov/kanagawa.ttl")
    assert '</id/gov/kanagawa.jsonld>; rel="alternate"' in doc.headers["Link"]


def test_unknown_media_type_is_406(client):
    resp = client.get("/id/gov/kanagawa", headers={"Accept": "image/png"})
    assert resp.status_code == 406
    assert "text/turtle" in resp.get_data(as_text=True)
    resp = client.get("/ontology", headers={"Accept": "application/pdf"})
    assert resp.status_code == 406


def test_no_accept_header_gets_turtle(client):
    resp = client.get("/id/gov/kanagawa")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/id/gov/kanagawa.ttl"


def test_unknown_iri_is_404(client):
    resp = client.get("/id/gov/atlantis", headers={"Accept": "text/turtle"})
    assert resp.status_code == 404
    assert "https://w3id.org/jichitai-kg/id/gov/atlantis" in resp.get_data(as_text=True)
    assert client.get("/id/gov/atlantis.html").status_code == 404


def test_bad_iri_path_is_400(client):
    resp = client.get("/id/gov/kana gawa")
    assert resp.status_code == 400


def test_language_query_is_kept_through_the_redirect(client):
    resp = client.get("/id/gov/kanagawa?lang=en", headers={"Accept": "text/html"})
    assert resp.headers["Location"] == "/id/gov/kanagawa.html?lang=en"


# --------------------------------------------------------------------------- page content


def test_page_shows_asserted_and_inferred_types_apart(client):
    html = client.get("/id/gov/kanagawa.html?lang=en").get_data(as_text=True)
    asserted = html[html.index('id="asserted-types"'):html.index("</ul>", html.index('id="asserted-types"'))]
    inferred = html[html.index('id="inferred-types"'):html.index("</ul>", html.index('id="inferred-types"'))]
    assert "Local government" in asserted  # jkg:LocalGovernment, stated in the data
    assert "FormalOrganization" not in asserted
    assert "FormalOrganization" in inferred  # from the ontology's subclass axiom


def test_page_is_bilingual(client):
    ja = client.get("/id/gov/kanagawa.html").get_data(as_text=True)
    en = client.get("/id/gov/kanagawa.html?lang=en").get_data(as_text=True)
    assert "<h1>神奈川県</h1>" in ja
    assert "<h1>Kanagawa Prefecture</h1>" in en
    assert 'href="/id/gov/kanagawa.html?lang=en"' in ja
    assert "型（推論）" in ja and "Types (inferred)" in en


def test_page_links_point_at_this_server(client):
    html = client.get("/id/initiative/kanagawa-rpa-full-deployment.html").get_data(as_text=True)
    assert 'href="/id/gov/kanagawa"' in html
    assert 'href="https://w3id.org/jichitai-kg/id/gov/kanagawa"' not in html


@pytest.mark.parametrize("page", ["figure", "owner"])
def test_figure_panel_with_unit_and_date(client, kg, page):
    # Report, Minato: RPA saved about 6,000 hours a year as of December 2019.
    figure = ox.NamedNode(BASE + "id/figure/minato-rpa-hours-saved")
    if page == "figure":
        path = "/id/figure/minato-rpa-hours-saved.html"
    else:  # the initiative the figure is about (however the data models it)
        owners = [q.object.value for q in kg.quads_for_pattern(
            figure, ox.NamedNode("https://w3id.org/jichitai-kg/ontology#figureOf"), None)]
        assert owners
        path = "/" + owners[0].removeprefix(BASE) + ".html"
    html = client.get(path).get_data(as_text=True)
    figures = html[html.index('id="figures"'):html.index("</table>", html.index('id="figures"'))]
    row = figures[figures.index("figure/minato-rpa-hours-saved"):]
    row = row[:row.index("</tr>")]
    assert ">6000<" in row
    assert "時間/年" in row
    assert "約" in row
    assert "2019" in row


def test_provenance_panel_names_the_report_part(client):
    html = client.get("/id/figure/minato-rpa-hours-saved.html").get_data(as_text=True)
    prov = html[html.index('id="provenance"'):html.index("</table>", html.index('id="provenance"'))]
    assert "/id/source/minato-narrative-5" in prov
    assert "/id/source/minato-table-flagship-1" in prov


def test_incoming_links_listed(client):
    html = client.get("/id/gov/kanagawa.html?lang=en").get_data(as_text=True)
    incoming = html[html.index('id="incoming"'):html.index("</table>", html.index('id="incoming"'))]
    assert 'href="/id/initiative/kanagawa-rpa-full-deployment"' in incoming


def test_page_shows_the_sparql_for_the_same_data(client):
    html = client.get("/id/post/kanagawa-cdo.html").get_data(as_text=True)
    block = html[html.index('id="sparql-example"'):html.index("</pre>", html.index('id="sparql-example"'))]
    assert "&lt;https://w3id.org/jichitai-kg/id/post/kanagawa-cdo&gt;" in block
    assert "GRAPH ?graph" in block
    # The shown query, run on the endpoint, returns the post's statements.
    import html as html_mod
    query = html_mod.unescape(block[block.index(">") + 1:])
    resp = client.get("/sparql", query_string={"query": query},
                      headers={"Accept": "application/sparql-results+json"})
    rows = resp.get_json()["results"]["bindings"]
    pairs = {(r["property"]["value"], r["value"]["value"]) for r in rows}
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/org#Post") in pairs
    assert ("http://www.w3.org/ns/org#postIn", BASE + "id/gov/kanagawa") in pairs
    # The page links to the query editor with the query filled in.
    link = html[html.index('href="/?query='):]
    link = html_mod.unescape(link[6:link.index('"', 6)])
    editor = client.get(link).get_data(as_text=True)
    assert "kanagawa-cdo&gt; ?property ?value" in editor


# --------------------------------------------------------------------------- ontology


def test_ontology_iri_redirects(client):
    for path in ("/ontology", "/ontology/0.1.0"):
        resp = client.get(path, headers={"Accept": "text/html"})
        assert resp.status_code == 303
        assert resp.headers["Location"] == "/ontology.html"
        resp = client.get(path, headers={"Accept": "application/rdf+xml"})
        assert resp.headers["Location"] == "/ontology.rdf"


@pytest.mark.parametrize("media_type", list(RDF_TYPES))
def test_ontology_file_is_the_ontology_graph(client, kg, media_type):
    ext, fmt = RDF_TYPES[media_type]
    got = parse(client.get(f"/ontology.{ext}").data, fmt)
    want = {q.triple for q in kg.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH)))}
    assert canonical(got) == canonical(want)


def test_ontology_class_iri_is_described_by_the_ontology_document(client, kg):
    term = "https://w3id.org/jichitai-kg/ontology#OrganizationalCultureInitiative"
    got = parse(client.get("/ontology.nt").data, ox.RdfFormat.N_TRIPLES)
    mine = {q.triple for q in kg.quads_for_pattern(ox.NamedNode(term), None, None,
                                                   ox.NamedNode(str(ONTOLOGY_GRAPH)))}
    assert mine and mine <= got


def test_ontology_documentation_in_both_languages(client):
    ja = client.get("/ontology.html").get_data(as_text=True)
    en = client.get("/ontology.html?lang=en").get_data(as_text=True)
    for html in (ja, en):
        assert 'id="LocalGovernment"' in html
        assert "地方公共団体" in html and "Local government" in html
        assert 'id="government"' in html  # an object property
    # Definitions (skos:definition) in the page's language.
    assert "A Japanese local public body" in en
    assert "都道府県・市町村・特別区などの地方公共団体" in ja
    # The category axioms, in words.
    axioms = en[en.index('id="axioms"'):]
    assert "Organizational-culture initiative" in axioms
    assert "is exactly everything whose" in axioms
    assert "Organizational culture" in axioms


# --------------------------------------------------------------------------- context, downloads


def test_context_is_published_and_equals_the_dump_context(client, kg):
    resp = client.get("/context.jsonld")
    assert resp.mimetype == "application/ld+json"
    published = json.loads(resp.data)["@context"]
    dump = json.loads(client.get("/download/jichitai-kg.jsonld").data)["@context"]
    assert published == dump
    assert published["label"]["@container"] == "@language"


def test_download_page_lists_every_dump(client):
    html = client.get("/download/").get_data(as_text=True)
    for fmt in export.FORMATS.values():
        for inferences in (True, False):
            for gz in (False, True):
                name = export.dump_filename(fmt, inferences=inferences, compressed=gz)
                assert f'href="/download/{name}"' in html


def test_dump_files_match_their_checksums(client, kg):
    sums = client.get("/download/SHA256SUMS").get_data(as_text=True)
    table = dict(reversed(line.split("  ")) for line in sums.splitlines())
    plain = client.get("/download/jichitai-kg.ttl")
    assert plain.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert hashlib.sha256(plain.data).hexdigest() == table["jichitai-kg.ttl"]
    packed = client.get("/download/jichitai-kg.ttl.gz")
    assert packed.mimetype == "application/gzip"
    assert hashlib.sha256(packed.data).hexdigest() == table["jichitai-kg.ttl.gz"]
    assert gzip.decompress(packed.data) == plain.data
    one = client.get("/download/jichitai-kg.ttl.sha256").get_data(as_text=True)
    assert one.split()[0] == table["jichitai-kg.ttl"]
    # The served dump is the store's union graph.
    got = parse(plain.data, ox.RdfFormat.TURTLE)
    want = {q.triple for q in kg if isinstance(q.graph_name, ox.NamedNode)}
    assert canonical(got) == canonical(want)


def test_dumps_are_cached_by_store_digest(app, client):
    state = get_dataset(app)
    digest = state.store_path.name.removeprefix("store-")
    client.get("/download/")
    directory = Path(state.cache_dir) / f"dumps-{digest}"
    assert (directory / export.MANIFEST).exists()
    stamp = (directory / "jichitai-kg.nq").stat().st_mtime_ns
    first = client.get("/download/jichitai-kg.nq").data
    second = client.get("/download/jichitai-kg.nq").data
    assert first == second
    assert (directory / "jichitai-kg.nq").stat().st_mtime_ns == stamp


def test_unknown_download_is_404(client):
    resp = client.get("/download/secrets.txt")
    assert resp.status_code == 404
    assert "/download/" in resp.get_data(as_text=True)


def test_dataset_iri_redirects_to_void(client):
    resp = client.get("/dataset")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/.well-known/void"


def test_rdflib_reads_the_jsonld_document(client, kg):
    g = rdflib.Graph().parse(data=client.get("/id/figure/minato-rpa-hours-saved.jsonld").data,
                             format="json-ld")
    value = g.value(rdflib.URIRef(BASE + "id/figure/minato-rpa-hours-saved"),
                    rdflib.URIRef("http://schema.org/value"))
    assert value == rdflib.Literal(6000)


def test_accept_aliases_and_wildcards(client):
    cases = {
        "application/json": "/id/gov/kanagawa.jsonld",
        "application/xml": "/id/gov/kanagawa.rdf",
        "*/*": "/id/gov/kanagawa.ttl",
        "text/html;q=0.5, application/n-triples": "/id/gov/kanagawa.nt",
        "text/turtle;q=0, */*;q=0.1": "/id/gov/kanagawa.jsonld",
    }
    for accept, location in cases.items():
        resp = client.get("/id/gov/kanagawa", headers={"Accept": accept})
        assert resp.headers["Location"] == location, accept


def test_named_graph_iri_redirects_to_its_description(client):
    assert client.get("/graph/inferred").headers["Location"] == "/.well-known/void"
    assert client.get("/graph/other").status_code == 404


def test_query_timeout_becomes_503(client, monkeypatch):
    from jichitai_kg.errors import QueryTimeout
    from jichitai_kg.query.execution.runner import ExecutorRunner

    def slow(self, *args, **kwargs):
        raise QueryTimeout("The query was stopped after 10 s (QUERY_TIMEOUT).")

    monkeypatch.setattr(ExecutorRunner, "ask", slow)
    resp = client.get("/id/gov/kanagawa", headers={"Accept": "text/turtle"})
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "5"
    assert "QUERY_TIMEOUT" in resp.get_data(as_text=True)
