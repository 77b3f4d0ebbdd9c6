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

import base64
import json
import re
import threading
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, render_template, request, send_file
from werkzeug.wrappers import Response as WerkzeugResponse

from ..content import app_query, rq_header
from ..errors import BadRequest, NotAcceptable, NotFound
from ..linked_data import dumps, void
from ..linked_data.formats import (
    BY_EXTENSION,
    RDF_REPRESENTATIONS,
    REPRESENTATIONS,
    Representation,
    choose,
    split_suffix,
    write_rdf,
)
from ..linked_data.pages import (
    TEXT,
    axiom_sentence,
    group_incoming,
    group_statements,
    ontology_terms,
    plain_rows,
)
from ..namespaces import BASE, JKG, ONTOLOGY_GRAPH
from ..query.execution.runner import Runner
from ..query.rules import media
from .responses import request_lang, text_response
from .state import app_cache, get_dataset, jsonld_context
from .urls import base_url, path_prefix

bp = Blueprint("linked_data", __name__)

ONTOLOGY_IRI = BASE + "ontology"
LICENSE = void.LICENSE
_IRI_PATH = re.compile(r"^[A-Za-z0-9._~\-/]+$")  # minted IRIs are ASCII, hyphenated
_cache_lock = threading.Lock()


# --------------------------------------------------------------------------- helpers


def _runner() -> Runner:
    return get_dataset().runner()


def _link_header(doc_path: str, current: Representation | None = None, reps=REPRESENTATIONS) -> str:
    """``Link`` alternates for every representation of a document, plus the license."""
    parts = [f'<{doc_path}.{r.extension}>; rel="alternate"; type="{r.media_type}"'
             for r in reps if r is not current]
    parts.append(f'<{LICENSE}>; rel="license"')
    return ", ".join(parts)


def _see_other(doc_path: str, rep: Representation) -> WerkzeugResponse:
    query = request.query_string.decode("latin-1")
    target = f"{doc_path}.{rep.extension}" + (f"?{query}" if query else "")
    resp = redirect(target, code=303)
    resp.headers["Vary"] = "Accept"
    resp.headers["Link"] = _link_header(doc_path)
    return resp


def _not_acceptable(offered) -> NotAcceptable:
    return NotAcceptable(f"None of the types in Accept: {request.headers.get('Accept')} is "
                         f"available here. Available: {', '.join(r.media_type for r in offered)}",
                         headers={"Vary": "Accept"})


def _rdf_response(triples, rep: Representation, doc_path: str, reps=REPRESENTATIONS) -> Response:
    body = write_rdf(triples, rep, jsonld_context())
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = media.content_type(rep.media_type)
    resp.headers["Link"] = _link_header(doc_path, rep, reps)
    return resp


def _html_response(html: str, doc_path: str, rep: Representation) -> Response:
    resp = Response(html, status=200, mimetype="text/html")
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    resp.headers["Link"] = _link_header(doc_path, rep)
    return resp


# --------------------------------------------------------------------------- resources


@bp.route("/id/<path:local>")
def resource(local: str):
    name, rep = split_suffix(local)
    if not _IRI_PATH.match(name) or "//" in name or name.startswith("/"):
        raise BadRequest(f"Not an IRI path of this dataset: /id/{local}")
    iri = f"{BASE}id/{name}"
    doc_path = f"{path_prefix()}/id/{name}"
    runner = _runner()
    node = ox.NamedNode(iri)
    if not runner.ask(app_query("ld-exists"), resource=node):
        if rep is not None and rep.media_type == media.HTML or \
                (rep is None and choose(request.headers.get("Accept")) is BY_EXTENSION["html"]):
            lang = request_lang()
            html = render_template("resource.html", t=TEXT[lang], lang=lang, iri=iri, missing=True,
                                   page=None, alternates=[], doc_path=doc_path)
            return Response(html, status=404, mimetype="text/html")
        raise NotFound(f"The dataset says nothing about <{iri}>.")
    if rep is None:
        chosen = choose(request.headers.get("Accept"))
        if chosen is None:
            raise _not_acceptable(REPRESENTATIONS)
        return _see_other(doc_path, chosen)
    if rep.media_type != media.HTML:
        return _rdf_response(runner.construct(app_query("ld-describe"), resource=node), rep, doc_path)
    return _html_response(_resource_page(runner, iri, doc_path), doc_path, rep)


def _resource_page(runner: Runner, iri: str, doc_path: str) -> str:
    lang = request_lang()
    prefix = path_prefix()
    node = ox.NamedNode(iri)
    statements = runner.select(app_query("ld-statements"), resource=node, lang=lang)
    incoming = runner.select(app_query("ld-incoming"), resource=node, lang=lang)
    figures = runner.select(app_query("ld-figures"), resource=node, lang=lang)
    provenance = runner.select(app_query("ld-provenance"), resource=node, lang=lang)
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
    _, body = rq_header(app_query("ld-page-example"))
    return body.replace("?resource", f"<{iri}>")


# --------------------------------------------------------------------------- ontology


@bp.route("/ontology")
@bp.route("/ontology/")
@bp.route("/ontology/<path:version>")
def ontology(version: str | None = None):
    if version is not None:
        _, rep = split_suffix(version)
        if rep is not None:
            return redirect(f"{path_prefix()}/ontology.{rep.extension}", code=303)
    chosen = choose(request.headers.get("Accept"))
    if chosen is None:
        raise _not_acceptable(REPRESENTATIONS)
    return _see_other(f"{path_prefix()}/ontology", chosen)


@bp.route("/ontology.<ext>")
def ontology_document(ext: str):
    rep = BY_EXTENSION.get(ext)
    if rep is None:
        raise NotFound(f"No ontology document with suffix .{ext}; use one of: "
                       + ", ".join(r.extension for r in REPRESENTATIONS))
    doc_path = f"{path_prefix()}/ontology"
    runner = _runner()
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    if rep.media_type != media.HTML:
        return _rdf_response(runner.construct(app_query("ld-ontology"), graph=graph), rep, doc_path)
    lang = request_lang()
    other = "en" if lang == "ja" else "ja"
    terms = runner.select(app_query("ld-ontology-terms"), graph=graph, ns=str(JKG), lang=lang)
    other_terms = runner.select(app_query("ld-ontology-terms"), graph=graph, ns=str(JKG), lang=other)
    axioms = runner.select(app_query("ld-ontology-axioms"), graph=graph, lang=lang)
    header = runner.select(app_query("ld-statements"), resource=ox.NamedNode(ONTOLOGY_IRI), lang=lang)
    head = group_statements(header, prefix=path_prefix())
    html = render_template(
        "ontology_doc.html", t=TEXT[lang], lang=lang, iri=ONTOLOGY_IRI, head=head,
        terms=ontology_terms(terms, other_terms, prefix=path_prefix()),
        axioms=[axiom_sentence(a, lang) for a in axioms],
        alternates=[{"label": r.label, "href": f"{doc_path}.{r.extension}", "type": r.media_type}
                    for r in RDF_REPRESENTATIONS],
        other_lang_href=f"{doc_path}.html?lang={other}")
    return _html_response(html, doc_path, rep)


# --------------------------------------------------------------------------- dumps, context, VoID


def _dump_dir() -> Path:
    """The dumps of the served version, written once (from a snapshot of a remote store)."""
    dataset = get_dataset()
    dataset.prepare()
    version = dataset.version
    assert version is not None
    target = Path(dataset.cache_dir) / f"dumps-{version}"
    if (target / dumps.MANIFEST).exists():
        return target
    with _cache_lock:
        store = dataset.open_store()
        try:
            return dumps.ensure_dumps(store, dataset.cache_dir, version)
        finally:
            del store


@bp.route("/context.jsonld")
def context_document():
    resp = Response(json.dumps({"@context": jsonld_context()}, ensure_ascii=False, indent=1),
                    mimetype="application/ld+json")
    resp.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    return resp


@bp.route("/download")
@bp.route("/download/")
def downloads():
    directory = _dump_dir()
    files = dumps.load_manifest(directory)
    lang = request_lang()
    rows = []
    for f in files:
        rows.append({**f.__dict__, "href": f"{path_prefix()}/download/{quote(f.filename)}"})
    return render_template("downloads.html", t=TEXT[lang], lang=lang, files=rows,
                           prefix=path_prefix(), base_url=base_url(),
                           other_lang_href=f"{path_prefix()}/download/?lang={'ja' if lang == 'en' else 'en'}")


@bp.route("/download/<name>")
def download(name: str):
    directory = _dump_dir()
    files = {f.filename: f for f in dumps.load_manifest(directory)}
    if name == dumps.CHECKSUMS:
        return send_file(directory / dumps.CHECKSUMS, mimetype="text/plain")
    if name.endswith(".sha256") and name[:-7] in files:
        listed = files[name[:-7]]
        return text_response(200, f"{listed.sha256}  {listed.filename}")
    f = files.get(name)
    if f is None:
        raise NotFound(f"No dump named {name}; see {path_prefix()}/download/")
    mimetype = "application/gzip" if f.compressed else f.media_type  # Flask adds charset to text/*
    resp = send_file(directory / f.filename, mimetype=mimetype, as_attachment=False,
                     download_name=f.filename, etag=f.sha256, conditional=True)
    resp.headers["Digest"] = "sha-256=" + _b64(f.sha256)
    resp.headers["Link"] = f'<{LICENSE}>; rel="license"'
    return resp


def _b64(hexdigest: str) -> str:
    return base64.b64encode(bytes.fromhex(hexdigest)).decode("ascii")


def void_triples() -> list[ox.Triple]:
    cache = app_cache("void")
    key = base_url()
    if key not in cache:
        cache[key] = void.describe(_runner(), base_url=key,
                                   dumps=dumps.load_manifest(_dump_dir()))
    return cache[key]


@bp.route("/.well-known/void")
def void_description():
    rep = choose(request.headers.get("Accept"))
    if rep is None:
        raise _not_acceptable(REPRESENTATIONS)
    doc_path = f"{path_prefix()}/.well-known/void"
    if rep is BY_EXTENSION["html"]:  # a browser: the same description as a page
        lang = request_lang()
        html = render_template("void.html", t=void.PAGE_TEXT[lang], lang=lang,
                               rows=void.void_rows(void_triples(), prefix=path_prefix()),
                               alternates=[{"label": r.label, "href": f"{doc_path}.{r.extension}",
                                            "type": r.media_type} for r in RDF_REPRESENTATIONS])
        resp = _html_response(html, doc_path, rep)
        resp.headers["Link"] = _link_header(doc_path, rep, RDF_REPRESENTATIONS)  # no void.html
    else:
        resp = _rdf_response(void_triples(), rep, doc_path, RDF_REPRESENTATIONS)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/.well-known/void.<ext>")
def void_document(ext: str):
    rep = BY_EXTENSION.get(ext)
    if rep is None or rep.media_type == media.HTML:
        abort(404)
    return _rdf_response(void_triples(), rep, f"{path_prefix()}/.well-known/void", RDF_REPRESENTATIONS)


@bp.route("/dataset")
def dataset():
    """The dataset IRI: describe it with the VoID document."""
    resp = redirect(f"{path_prefix()}/.well-known/void", code=303)
    return resp


@bp.route("/graph/<name>")
def named_graph(name: str):
    """A named graph's IRI: the VoID description lists it as a subset with its size."""
    if name not in ("ontology", "data", "inferred"):
        raise NotFound(f"No named graph <{BASE}graph/{name}>; the graphs are ontology, data, inferred.")
    return redirect(f"{path_prefix()}/.well-known/void", code=303)
