"""Compressed answers (web/compression.py): zstd, br, gzip as offered; ETag and Vary stay right."""

from __future__ import annotations

import gzip
import json
import urllib.request
import zlib

import brotli
import pytest
from backports import zstd

BIG = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3000"
SMALL = "ASK { ?s ?p ?o }"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


def get(client, query, **headers):
    return client.get("/sparql", query_string={"query": query}, headers=headers)


@pytest.mark.parametrize("offer, chosen", [
    ("gzip", "gzip"), ("br", "br"), ("zstd", "zstd"), ("gzip, deflate, br, zstd", "zstd"),
    ("gzip;q=1, br;q=0.5", "gzip"), ("br, gzip", "br"),
])
def test_big_answer_compressed_as_offered(client, offer, chosen):
    plain = get(client, BIG)
    assert plain.headers.get("Content-Encoding") is None
    resp = get(client, BIG, **{"Accept-Encoding": offer})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == chosen
    assert resp.headers["Vary"] == "Accept, Accept-Encoding"
    assert resp.headers["Content-Type"] == "application/sparql-results+json"
    body = DECODE[chosen](resp.data)
    assert body == plain.data
    assert len(json.loads(body)["results"]["bindings"]) == 3000
    assert len(resp.data) * 5 < len(plain.data)
    assert resp.headers["ETag"] == plain.headers["ETag"][:-1] + f':{chosen}"'


def test_conditional_request_on_compressed_etag_is_304_with_that_etag(client):
    first = get(client, BIG, **{"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    again = get(client, BIG, **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "Accept-Encoding" in again.headers["Vary"]
    # the uncompressed ETag still validates the uncompressed answer
    plain = get(client, BIG)
    assert get(client, BIG, **{"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_small_answer_and_identity_are_sent_as_they_are(client):
    small = get(client, SMALL, **{"Accept-Encoding": "gzip, br"})
    assert small.headers.get("Content-Encoding") is None
    assert small.headers["Vary"] == "Accept"
    assert json.loads(small.data)["boolean"] is True
    identity = get(client, BIG, **{"Accept-Encoding": "identity"})
    assert identity.headers.get("Content-Encoding") is None
    assert len(json.loads(identity.data)["results"]["bindings"]) == 3000


def test_pages_and_rdf_are_compressed(client):
    for path, media_type in [("/id/gov/kamakura.ttl", "text/turtle"), ("/id/gov/kamakura.html", "text/html"),
                             ("/ontology.jsonld", "application/ld+json")]:
        plain = client.get(path)
        resp = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert resp.headers["Content-Type"].startswith(media_type)
        assert resp.headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(resp.data) == plain.data


def test_streamed_dump_is_compressed_as_streamed_and_ranges_are_not(client):
    plain = client.get("/download/jichitai-kg.nt")
    assert plain.status_code == 200 and plain.headers.get("Accept-Ranges") == "bytes"
    resp = client.get("/download/jichitai-kg.nt", headers={"Accept-Encoding": "gzip"})
    assert resp.is_streamed
    assert resp.headers["Content-Encoding"] == "gzip"
    assert "Content-Length" not in resp.headers and "Accept-Ranges" not in resp.headers
    assert zlib.decompress(resp.data, 16 + zlib.MAX_WBITS) == plain.data
    part = client.get("/download/jichitai-kg.nt", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.headers.get("Content-Encoding") is None
    assert part.data == plain.data[:100]


@pytest.mark.server
def test_twenty_thousand_rows_over_http(live_server):
    """The number in docs/http-clients.md: a 20,000-row JSON answer, gzip over the wire."""
    from urllib.parse import urlencode

    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20000"
    url = live_server.url + "/sparql?" + urlencode({"query": query})
    sizes = {}
    for encoding in ("identity", "gzip", "br"):
        request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=60) as resp:
            raw = resp.read()
            sizes[encoding] = len(raw)
            body = raw if encoding == "identity" else DECODE[encoding](raw)
            assert resp.headers.get("Content-Encoding") == (None if encoding == "identity" else encoding)
        assert len(json.loads(body)["results"]["bindings"]) == 20000
    assert sizes["identity"] > 10 * sizes["gzip"] > 10 * sizes["br"]
