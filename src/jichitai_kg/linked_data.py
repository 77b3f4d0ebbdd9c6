"""Linked-data publishing: dereferenceable IRIs, ontology documentation, dumps, VoID.

URL pattern (the "303 See Other" recipe of *Cool URIs for the Semantic Web*):

* ``/id/<type>/<name>`` is the *thing*.  It answers ``303 See Other`` to the document
  in the negotiated format, ``/id/<type>/<name>.<ext>`` (``html``, ``ttl``, ``jsonld``,
  ``nt``, ``rdf``), with ``Vary: Accept``; ``406`` when nothing offered is acceptable,
  ``404`` when the dataset says nothing about the IRI.
* ``/ontology`` (and the version IRI ``/ontology/<version>``, and every
  ``/ontology#Term``) likewise redirects to ``/ontology.<ext>``.
* IRIs are minted under ``https://w3id.org/jichitai-kg/``; every path after that base
  is the same on this server, so pages link to ``/id/...`` and work on localhost.
"""

from __future__ import annotations

import json
import re
import threading
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file

from . import export, protocol, void, void_page, workbench
from .app import get_executor, get_state
from .executor import QueryFailed, QueryTimeout
from .linked_data_formats import (BY_EXTENSION, RDF_REPRESENTATIONS, REPRESENTATIONS, Representation,
                                  choose, content_type, split_suffix, write_rdf)
from .linked_data_pages import (TEXT, axiom_sentence, group_incoming, group_statements, ontology_terms,
                                plain_rows)
from .linked_data_queries import ExecutorRunner, QueryFailed as LDQueryFailed, query_text
from .namespaces import BASE, JKG, ONTOLOGY_GRAPH
from .store import open_read_only

bp = Blueprint("linked_data", __name__)

ONTOLOGY_IRI = BASE + "ontology"
LICENSE = void.LICENSE
_IRI_PATH = re.compile(r"^[A-Za-z0-9._~\-/]+$")  # minted IRIs are ASCII, hyphenated
_cache_lock = threading.Lock()


# --------------------------------------------------------------------------- helpers


def _lang() -> str:
    return workbench.current_lang()


def _prefix() -> str:
    """Path prefix when the app is mounted below a path (PUBLIC_BASE or SCRIPT_NAME)."""
    base = current_app.config.get("PUBLIC_BASE")
    if base:
        return urlparse(base).path.rstrip("/")
    return request.script_root.rstrip("/")


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE") or request.host_url.rstrip("/")


def _runner() -> ExecutorRunner:
    return ExecutorRunner(get_executor(), get_state().root)


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    resp = Response(message + "\n", status=status, mimetype="text/plain")
    resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _link_header(doc_path: str, current: Representation | None = None, reps=REPRESENTATIONS) -> str:
    """``Link`` alternates for every representation of a document, plus the license."""
    parts = [f'<{doc_path}.{r.extension}>; rel="alternate"; type="{r.media_type}"'
             for r in reps if r is not current]
    parts.append(f'<{LICENSE}>; rel="license"')
    return ", ".join(parts)


def _see_other(doc_path: str, rep: Representation) -> Response:
    query = request.query_string.decode("latin-1")
    target = f"{doc_path}.{rep.extension}" + (f"?{query}" if query else "")
    resp = redirect(target, code=303)
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = _link_header(doc_path)
    return resp


def _not_acceptable(offered) -> Response:
    return _text(406, f"None of the types in Accept: {request.headers.get('Accept')} is available "
                      f"here. Available: {', '.join(r.media_type for r in offered)}",
                 {"Vary": "Accept"})


def _context() -> dict:
    """The JSON-LD context, computed once per store (it follows the ontology)."""
    state = get_state()
    get_executor()
    cache = current_app.extensions.setdefault("jichitai_kg_ld", {})
    key = ("context", str(state.store_path))
    if key not in cache:
        cache[key] = export.jsonld_context(_runner())
    return cache[key]


def _rdf_response(triples, rep: Representation, doc_path: str, reps=REPRESENTATIONS) -> Response:
    body = write_rdf(triples, rep, _context())
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = content_type(rep.media_type)
    resp.headers["Link"] = _link_header(doc_path, rep, reps)
    return resp


def _html_response(html: str, doc_path: str, rep: Representation) -> Response:
    resp = Response(html, status=200, mimetype="text/html")
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    resp.headers["Link"] = _link_header(doc_path, rep)
    return resp


@bp.errorhandler(QueryTimeout)
@bp.errorhandler(QueryFailed)
@bp.errorhandler(LDQueryFailed)
def _query_failed(exc):
    return _text(503, f"The dataset could not answer in time or failed: {exc}", {"Retry-After": "5"})


# --------------------------------------------------------------------------- resources


@bp.route("/id/<path:local>")
def resource(local: str):
    name, rep = split_suffix(local)
    if not _IRI_PATH.match(name) or "//" in name or name.startswith("/"):
        return _text(400, f"Not an IRI path of this dataset: /id/{local}")
    iri = f"{BASE}id/{name}"
    doc_path = f"{_prefix()}/id/{name}"
    runner = _runner()
    node = ox.NamedNode(iri)
    if not runner.ask("exists", resource=node):
        if rep is not None and rep.media_type == protocol.HTML or \
                (rep is None and choose(request.headers.get("Accept")) is BY_EXTENSION["html"]):
            lang = _lang()
            html = render_template("resource.html", t=TEXT[lang], lang=lang, iri=iri, missing=True,
                                   page=None, alternates=[], doc_path=doc_path)
            return Response(html, status=404, mimetype="text/html")
        return _text(404, f"The dataset says nothing about <{iri}>.")
    if rep is None:
        chosen = choose(request.headers.get("Accept"))
        if chosen is None:
            return _not_acceptable(REPRESENTATIONS)
        return _see_other(doc_path, chosen)
    if rep.media_type != protocol.HTML:
        return _rdf_response(runner.construct("describe", resource=node), rep, doc_path)
    return _html_response(_resource_page(runner, iri, doc_path), doc_path, rep)


def _resource_page(runner: ExecutorRunner, iri: str, doc_path: str) -> str:
    lang = _lang()
    prefix = _prefix()
    node = ox.NamedNode(iri)
    statements = runner.select("statements", resource=node, lang=lang)
    incoming = runner.select("incoming", resource=node, lang=lang)
    figures = runner.select("figures", resource=node, lang=lang)
    provenance = runner.select("provenance", resource=node, lang=lang)
    page = group_statements(statements, prefix=prefix)
    page["incoming"] = group_incoming(incoming, prefix=prefix)
    page["figures"] = plain_rows(figures, prefix=prefix)
    page["provenance"] = plain_rows(provenance, prefix=prefix)
    example = _example_query(iri)
    page["sparql"] = example
    # The home page's editor takes ?query= as its initial text: the visitor sees and runs it.
    page["sparql_href"] = f"{prefix}/?" + urlencode({"query": example, "lang": lang})
    alternates = [{"label": r.label, "href": f"{doc_path}.{r.extension}", "type": r.media_type}
                  for r in RDF_REPRESENTATIONS]
    return render_template("resource.html", t=TEXT[lang], lang=lang, iri=iri, missing=False, page=page,
                           alternates=alternates, doc_path=doc_path,
                           other_lang_href=f"{doc_path}.html?lang={'ja' if lang == 'en' else 'en'}")


def _example_query(iri: str) -> str:
    """The page's "same data in SPARQL": the example file with the IRI written in, for display."""
    text = query_text(get_state().root, "page-example")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    return body.replace("?resource", f"<{iri}>") + "\n"


# --------------------------------------------------------------------------- ontology


@bp.route("/ontology")
@bp.route("/ontology/")
@bp.route("/ontology/<path:version>")
def ontology(version: str | None = None):
    if version is not None:
        name, rep = split_suffix(version)
        if rep is not None:
            return redirect(f"{_prefix()}/ontology.{rep.extension}", code=303)
    chosen = choose(request.headers.get("Accept"))
    if chosen is None:
        return _not_acceptable(REPRESENTATIONS)
    return _see_other(f"{_prefix()}/ontology", chosen)


@bp.route("/ontology.<ext>")
def ontology_document(ext: str):
    rep = BY_EXTENSION.get(ext)
    if rep is None:
        return _text(404, f"No ontology document with suffix .{ext}; use one of: "
                          + ", ".join(r.extension for r in REPRESENTATIONS))
    doc_path = f"{_prefix()}/ontology"
    runner = _runner()
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    if rep.media_type != protocol.HTML:
        return _rdf_response(runner.construct("ontology", graph=graph), rep, doc_path)
    lang = _lang()
    other = "en" if lang == "ja" else "ja"
    terms = runner.select("ontology-terms", graph=graph, ns=str(JKG), lang=lang)
    other_terms = runner.select("ontology-terms", graph=graph, ns=str(JKG), lang=other)
    axioms = runner.select("ontology-axioms", graph=graph, lang=lang)
    header = runner.select("statements", resource=ox.NamedNode(ONTOLOGY_IRI), lang=lang)
    head = group_statements(header, prefix=_prefix())
    html = render_template(
        "ontology_doc.html", t=TEXT[lang], lang=lang, iri=ONTOLOGY_IRI, head=head,
        terms=ontology_terms(terms, other_terms, prefix=_prefix()),
        axioms=[axiom_sentence(a, lang) for a in axioms],
        alternates=[{"label": r.label, "href": f"{doc_path}.{r.extension}", "type": r.media_type}
                    for r in RDF_REPRESENTATIONS],
        other_lang_href=f"{doc_path}.html?lang={other}")
    return _html_response(html, doc_path, rep)


# --------------------------------------------------------------------------- dumps, context, VoID


def _dump_dir() -> Path:
    state = get_state()
    get_executor()  # makes sure the store is prepared and its path known
    digest = state.store_path.name.removeprefix("store-")
    target = Path(state.cache_dir) / f"dumps-{digest}"
    if (target / export.MANIFEST).exists():
        return target
    with _cache_lock:
        store = open_read_only(state.store_path)
        try:
            return export.ensure_dumps(store, state.root, state.cache_dir, digest)
        finally:
            del store


@bp.route("/context.jsonld")
def context_document():
    resp = Response(json.dumps({"@context": _context()}, ensure_ascii=False, indent=1),
                    mimetype="application/ld+json")
    resp.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    return resp


@bp.route("/download")
@bp.route("/download/")
def downloads():
    directory = _dump_dir()
    files = export.load_manifest(directory)
    lang = _lang()
    rows = []
    for f in files:
        rows.append({**f.__dict__, "href": f"{_prefix()}/download/{quote(f.filename)}"})
    return render_template("downloads.html", t=TEXT[lang], lang=lang, files=rows,
                           prefix=_prefix(), base_url=_base_url(),
                           other_lang_href=f"{_prefix()}/download/?lang={'ja' if lang == 'en' else 'en'}")


@bp.route("/download/<name>")
def download(name: str):
    directory = _dump_dir()
    files = {f.filename: f for f in export.load_manifest(directory)}
    if name == export.CHECKSUMS:
        return send_file(directory / export.CHECKSUMS, mimetype="text/plain")
    if name.endswith(".sha256") and name[:-7] in files:
        f = files[name[:-7]]
        return _text(200, f"{f.sha256}  {f.filename}")
    f = files.get(name)
    if f is None:
        return _text(404, f"No dump named {name}; see {_prefix()}/download/")
    mimetype = "application/gzip" if f.compressed else f.media_type  # Flask adds charset to text/*
    resp = send_file(directory / f.filename, mimetype=mimetype, as_attachment=False,
                     download_name=f.filename, etag=f.sha256, conditional=True)
    resp.headers["Digest"] = "sha-256=" + _b64(f.sha256)
    resp.headers["Link"] = f'<{LICENSE}>; rel="license"'
    return resp


def _b64(hexdigest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hexdigest)).decode("ascii")


def void_triples() -> list[ox.Triple]:
    state = get_state()
    get_executor()
    cache = current_app.extensions.setdefault("jichitai_kg_ld", {})
    key = ("void", str(state.store_path), _base_url())
    if key not in cache:
        dumps = export.load_manifest(_dump_dir())
        cache[key] = void.describe(_runner(), base_url=_base_url(), dumps=dumps)
    return cache[key]


@bp.route("/.well-known/void")
def void_description():
    rep = choose(request.headers.get("Accept"))
    if rep is None:
        return _not_acceptable(REPRESENTATIONS)
    if rep is BY_EXTENSION["html"]:  # a browser: the same description as a page
        lang = _lang()
        href = partial(workbench.local_href, public_base=current_app.config.get("PUBLIC_BASE"),
                       script_root=_prefix())
        html = render_template("void.html", t=void_page.TEXT[lang], lang=lang,
                               rows=void_page.void_rows(void_triples(), href),
                               alternates=[{"label": r.label, "href": f"{_prefix()}/.well-known/void.{r.extension}",
                                            "type": r.media_type} for r in RDF_REPRESENTATIONS])
        resp = _html_response(html, f"{_prefix()}/.well-known/void", rep)
        resp.headers["Vary"] = "Accept"
        return resp
    resp = _rdf_response(void_triples(), rep, f"{_prefix()}/.well-known/void", RDF_REPRESENTATIONS)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/.well-known/void.<ext>")
def void_document(ext: str):
    rep = BY_EXTENSION.get(ext)
    if rep is None or rep.media_type == protocol.HTML:
        abort(404)
    return _rdf_response(void_triples(), rep, f"{_prefix()}/.well-known/void", RDF_REPRESENTATIONS)


@bp.route("/dataset")
def dataset():
    """The dataset IRI: describe it with the VoID document."""
    resp = redirect(f"{_prefix()}/.well-known/void", code=303)
    return resp


@bp.route("/graph/<name>")
def named_graph(name: str):
    """A named graph's IRI: the VoID description lists it as a subset with its size."""
    if name not in ("ontology", "data", "inferred"):
        return _text(404, f"No named graph <{BASE}graph/{name}>; the graphs are ontology, data, inferred.")
    return redirect(f"{_prefix()}/.well-known/void", code=303)
