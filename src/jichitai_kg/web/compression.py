"""Compressed answers: zstd, br or gzip, whichever the client offers (Flask-Compress).

Every answer of a text-like type over :data:`MIN_BYTES` is compressed when the request's
``Accept-Encoding`` offers an algorithm; streamed answers (dump files) are compressed as
they stream.  Flask-Compress does the work (``docs/http-clients.md`` has the sizes it
measured); this module adds what the service's caching needs:

* ``ETag``: a compressed answer carries ``"<etag>:<algorithm>"`` (Flask-Compress), and a
  conditional request naming it is matched against the view's own ETag, so
  ``If-None-Match`` on a compressed answer gets ``304`` without running the query again;
* ``Vary: Accept-Encoding`` whenever the answer could have been compressed for this client;
* a range request (``206``) is never compressed, and a compressed answer drops
  ``Accept-Ranges`` (ranges would address the uncompressed bytes).
"""

from __future__ import annotations

import re

from flask import Flask, Response, g, request
from flask_compress import Compress

from ..query.rules import media

#: Answers shorter than this are sent as they are (compression would not pay for itself).
MIN_BYTES = 1024
#: Server preference when a client offers several at the same q.
ALGORITHMS = ["zstd", "br", "gzip"]
COMPRESSIBLE = sorted({
    media.JSON_RESULTS, media.XML_RESULTS, media.CSV, media.TSV, media.TURTLE, media.NTRIPLES,
    media.JSONLD, media.RDFXML, media.HTML, "application/n-quads", "application/trig", "text/n3",
    "application/json", "application/problem+json", "text/plain", "text/css", "text/javascript",
    "application/javascript", "image/svg+xml", "application/xml", "text/xml"})
_SUFFIX = re.compile(r':(?:zstd|br|gzip|deflate)"')


class _Compress(Compress):
    def after_request(self, response: Response | None) -> Response:
        assert response is not None
        if response.status_code == 304:
            return _not_modified(response)
        if not _eligible(response):
            return response
        compressed = super().after_request(response)
        if "Content-Encoding" in compressed.headers:
            compressed.headers.pop("Accept-Ranges", None)
        return compressed


def _eligible(response: Response) -> bool:
    if not request.headers.get("Accept-Encoding"):
        return False  # an identity answer suits every client: no Vary needed
    if response.status_code != 200 or request.range is not None:
        return False
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return False
    length = response.content_length
    return length is None or length >= MIN_BYTES


def _not_modified(response: Response) -> Response:
    """A 304 answering a compressed ETag names that ETag again (RFC 9110 §15.4.5)."""
    algorithm = g.get("_jkg_etag_algorithm")
    etag, weak = response.get_etag()
    if algorithm and etag and not weak:
        response.set_etag(f"{etag}:{algorithm}")
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    return response


def _match_uncompressed_etags() -> None:
    """Let the views compare ``If-None-Match`` with their own (uncompressed) ETags."""
    value = request.environ.get("HTTP_IF_NONE_MATCH")
    if value and _SUFFIX.search(value):
        g._jkg_etag_algorithm = _SUFFIX.search(value).group(0)[1:-1]  # type: ignore[union-attr]
        request.environ["HTTP_IF_NONE_MATCH"] = _SUFFIX.sub('"', value)


def install(app: Flask) -> None:
    """Register before every other ``after_request`` hook, so compression runs last."""
    app.config.update(COMPRESS_REGISTER=False, COMPRESS_MIMETYPES=COMPRESSIBLE,
                      COMPRESS_MIN_SIZE=MIN_BYTES, COMPRESS_ALGORITHM=ALGORITHMS,
                      COMPRESS_ALGORITHM_STREAMING=ALGORITHMS, COMPRESS_STREAMS=True,
                      COMPRESS_LEVEL=6, COMPRESS_BR_LEVEL=4, COMPRESS_ZSTD_LEVEL=3)
    compress = _Compress()
    compress.init_app(app)
    app.before_request(_match_uncompressed_etags)
    app.after_request(compress.after_request)
