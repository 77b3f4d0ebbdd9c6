"""Links of served pages rewritten for the static site (linked_data/site_links.py, site_rules.py)."""

from __future__ import annotations

import pytest

from jichitai_kg.linked_data import site_rules
from jichitai_kg.linked_data.site_links import link, rewrite

SERVICE = "https://kg.example.org"
PUBLISHED = {"gov/kamakura", "category/culture"}


@pytest.mark.parametrize("url, lang, expected", [
    ("/id/gov/kamakura", "ja", "/id/gov/kamakura.html"),
    ("/id/gov/kamakura", "en", "/id/gov/kamakura.en.html"),
    ("/id/gov/kamakura.html?lang=en", "ja", "/id/gov/kamakura.en.html"),
    ("/id/gov/kamakura.html?lang=ja", "en", "/id/gov/kamakura.html"),
    ("/id/gov/kamakura.ttl", "ja", "/id/gov/kamakura.ttl"),
    ("/id/gov/yokohama", "ja", "https://w3id.org/jichitai-kg/id/gov/yokohama"),
    ("/id/gov/yokohama.nt", "ja", "https://w3id.org/jichitai-kg/id/gov/yokohama.nt"),
    ("/ontology.html?lang=en", "ja", "/ontology.en.html"),
    ("/ontology#Initiative", "en", "/ontology.en.html#Initiative"),
    ("/.well-known/void?lang=ja", "en", "/.well-known/void.html"),
    ("/download/?lang=en", "ja", "/download/index.en.html"),
    ("/download/jichitai-kg.ttl.gz", "ja", "/download/jichitai-kg.ttl.gz"),
    ("/static/style.css", "ja", "/static/style.css"),
    ("/?lang=en", "en", "/"),
    ("/?query=ASK%7B%7D&lang=en", "en", SERVICE + "/?query=ASK%7B%7D&lang=en"),
    ("/cq?lang=ja", "ja", SERVICE + "/cq?lang=ja"),
    ("/search", "ja", SERVICE + "/search"),
    ("/sparql", "ja", "/sparql.html"),
    ("/sparql?query=ASK%7B%7D", "ja", SERVICE + "/sparql?query=ASK%7B%7D"),
])
def test_link(url, lang, expected):
    assert link(url, lang=lang, published=PUBLISHED, service=SERVICE) == expected


def test_rewrite_keeps_other_attributes_and_escapes():
    html = ('<a href="/id/gov/kamakura.html?lang=en&amp;x=1">en</a> <a href="https://x.org/">x</a> '
            '<form action="/search"><img src="/static/a.svg">')
    assert rewrite(html, lang="ja", published=PUBLISHED, service=SERVICE) == (
        '<a href="/id/gov/kamakura.en.html">en</a> <a href="https://x.org/">x</a> '
        f'<form action="{SERVICE}/search"><img src="/static/a.svg">')


def test_rules_name_the_service_and_every_format():
    rules = site_rules.htaccess(SERVICE, "/kg")
    assert "RewriteBase /kg/" in rules and f"RewriteRule ^sparql/?$ {SERVICE}/sparql [R=307,L]" in rules
    for ext in ("ttl", "jsonld", "nt", "rdf", "html", "en.html"):
        assert f"$1.{ext} [R=303,L,E=JKG_VARY:1]" in rules
    # a browser's application/xml;q=0.9 must not win over its text/html: HTML is tested first
    assert rules.index("$1.html [R=303") < rules.index("$1.rdf [R=303")
    w3id = site_rules.w3id_htaccess("https://static.example.org/kg/", SERVICE)
    assert "RewriteRule ^(.*)$ https://static.example.org/kg/$1 [R=303,L]" in w3id
