"""The remote back end: a running jichitai-kg server, over its public HTTP interface.

``/sparql`` for queries (parameters pre-bound in the text, as for a remote store:
:mod:`..remote.bindings`), ``/cq`` for the questions, ``/search`` and ``/reconcile``.
Answers are asked for compressed; errors come back as JSON problem details and are raised
as the same :class:`~jichitai_kg.errors.JKGError` subclasses the embedded back end raises.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .. import errors
from ..errors import JKGError, ParameterError, QuerySyntaxError, Unavailable
from ..remote.bindings import inline_bindings

USER_AGENT = "jichitai-kg Python API"
#: The answer's data version (release or content hash), for citations: see docs/releases.md.
VERSION_HEADER = "X-Data-Version"
RELEASE_HEADER = "X-Data-Release"
_BY_STATUS: dict[int, type[JKGError]] = {400: errors.BadRequest, 403: errors.Forbidden, 404: errors.NotFound,
                                         406: errors.NotAcceptable, 422: errors.ResultTooLarge,
                                         503: errors.Unavailable}


class Remote:
    """Answers from the server at ``url`` (its root, e.g. ``http://localhost:5000``)."""

    def __init__(self, url: str, *, timeout: float = 60.0, release: str | None = None):
        self.url = url.rstrip("/") + (f"/v/{urllib.parse.quote(release)}" if release else "")
        self.timeout = timeout
        self.last_version: str | None = None
        self.last_release: str | None = None
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @property
    def data_version(self) -> str | None:
        if self.last_version is None:
            self._request("GET", "/sparql", [("query", "ASK {}")], accept="application/sparql-results+json")
        return self.last_version

    @property
    def release(self) -> str | None:
        self.data_version  # noqa: B018 - asks once
        return self.last_release

    def _request(self, method: str, path: str, params: list[tuple[str, str]], *, accept: str,
                 timeout: float | None = None) -> tuple[bytes, str]:
        encoded = urllib.parse.urlencode(params)
        url, data = (self.url + path, encoded.encode("ascii")) if method == "POST" else (
            self.url + path + ("?" + encoded if encoded else ""), None)
        headers = {"Accept": accept, "Accept-Encoding": "gzip", "User-Agent": USER_AGENT}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as resp:
                body = _decoded(resp.read(), resp.headers.get("Content-Encoding"))
                if resp.headers.get(VERSION_HEADER):
                    self.last_version = resp.headers[VERSION_HEADER]
                    self.last_release = resp.headers.get(RELEASE_HEADER)
                return body, (resp.headers.get("Content-Type") or "").split(";")[0].strip()
        except urllib.error.HTTPError as exc:
            body = _decoded(exc.read(), exc.headers.get("Content-Encoding"))
            raise _error(exc.code, body, exc.headers.get("Content-Type") or "") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unavailable(f"cannot reach the jichitai-kg server at {self.url}: {reason}",
                              headers={}) from None

    def run(self, query: str, media_type: str, *, infer: bool, substitutions: dict[str, str],
            timeout: float | None) -> tuple[bytes, str]:
        params = [("query", inline_bindings(query, substitutions))]
        if not infer:
            params.append(("infer", "false"))
        return self._request("POST", "/sparql", params, accept=media_type, timeout=timeout)

    def questions(self, lang: str) -> list[dict[str, Any]]:
        body, _ = self._request("GET", "/cq", [("format", "json"), ("lang", lang)], accept="application/json")
        return [{k: v for k, v in item.items() if k != "url"} for item in json.loads(body)["questions"]]

    def run_question(self, qid: str, params: dict[str, str], *, lang: str, infer: bool,
                     media_type: str, timeout: float | None) -> tuple[bytes, str]:
        pairs = [*params.items(), ("lang", lang)] + ([] if infer else [("infer", "false")])
        return self._request("GET", f"/cq/{urllib.parse.quote(qid)}", pairs, accept=media_type,
                             timeout=timeout)

    def search(self, text: str, *, lang: str, limit: int, offset: int,
               filters: dict[str, str | None]) -> dict[str, Any]:
        pairs = [("q", text), ("format", "json"), ("lang", lang), ("limit", str(limit)),
                 ("offset", str(offset))]
        pairs += [(("type" if k == "kind" else k), v) for k, v in filters.items() if v]
        return json.loads(self._request("GET", "/search", pairs, accept="application/json")[0])

    def reconcile(self, queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
        body, _ = self._request("POST", "/reconcile", [("queries", json.dumps(queries, ensure_ascii=False))],
                                accept="application/json")
        return json.loads(body)

    def close(self) -> None:
        pass


def _decoded(body: bytes, encoding: str | None) -> bytes:
    return gzip.decompress(body) if (encoding or "").strip().lower() == "gzip" else body


def _error(status: int, body: bytes, content_type: str) -> JKGError:
    """The server's error as the exception the embedded back end would raise."""
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
    else:
        data = {}
    message = data.get("detail") or body.decode("utf-8", "replace").strip() or f"HTTP {status}"
    cls = getattr(errors, str(data.get("error")), None)
    if not (isinstance(cls, type) and issubclass(cls, JKGError)):
        cls = _BY_STATUS.get(status, JKGError)
    if cls is QuerySyntaxError:
        return QuerySyntaxError(message, line=data.get("line"), column=data.get("column"), token=data.get("token"))
    if cls is ParameterError:
        return ParameterError(message, param=data.get("param"), valid=data.get("valid") or ())
    error = cls(message) if cls is not JKGError else JKGError(message, status=status)
    error.status = status
    return error
