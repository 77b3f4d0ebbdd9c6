"""What the search index reads from a store: grouped queries give each subject its texts in
the store's order, its kind's labels after them, its types and government, and a blank node
among the subjects neither loses nor adds anything."""

from __future__ import annotations

import pyoxigraph as ox

from jichitai_kg.store.text_collect import collect

DATA = "https://w3id.org/jichitai-kg/graph/data"
ONTOLOGY = "https://w3id.org/jichitai-kg/graph/ontology"
TTL = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix ex: <https://example.org/> .
ex:gov a jkg:LocalGovernment ; rdfs:label "例市"@ja, "Example City"@en ; skos:altLabel "れいし"@ja-Hira .
ex:plan a jkg:Plan ; rdfs:label "例市DX計画"@ja ; jkg:government ex:gov ; jkg:kind ex:dx .
ex:step a jkg:Milestone ; rdfs:label "第1段階"@ja ; jkg:milestoneOf ex:plan .
ex:other a jkg:Plan ; rdfs:label "例市DX計画"@ja ; jkg:kind ex:dx .
ex:dx rdfs:label "DX"@en, "デジタル変革"@ja .
_:b a jkg:Plan ; rdfs:label "例市DX計画"@ja ; jkg:government ex:gov .
"""


def _store() -> ox.Store:
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(DATA))
    return store


def test_texts_fields_and_kind_labels_last():
    data = collect(_store())
    ex = "https://example.org/"
    gov = list(data["texts"][ex + "gov"])
    assert sorted(gov) == [("kana", "れいし"), ("label", "Example City"), ("label", "例市")]
    assert gov.index(("kana", "れいし")) == 2  # skos:altLabel after rdfs:label
    plan = list(data["texts"][ex + "plan"])
    assert plan[0] == ("label", "例市DX計画")
    assert sorted(plan[1:]) == [("keyword", "DX"), ("keyword", "デジタル変革")]
    assert list(data["texts"][ex + "other"]) == plan  # the shared text and kind labels, read once each
    assert ex + "dx" in data["texts"] and data["terms"][ex + "gov"] == ("例市", "Example City")


def test_types_governments_and_blank_nodes():
    data = collect(_store())
    ex = "https://example.org/"
    assert data["types"][ex + "plan"] == frozenset({"https://w3id.org/jichitai-kg/ontology#Plan"})
    assert data["types"][ex + "plan"] is data["types"][ex + "other"]  # one set per distinct set
    assert data["govs"] == {ex + "plan": ex + "gov", ex + "step": ex + "gov"}
    assert all(s.startswith(ex) for s in data["texts"]) and all(s.startswith(ex) for s in data["types"])
