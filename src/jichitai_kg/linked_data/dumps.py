"""Dumps of the served dataset in six RDF formats, and their on-disk cache.

Dumps are made from the prepared store (the same one the endpoint queries), never by
re-parsing the sources, so a dump is exactly what the endpoint serves.  Triple formats
(Turtle, N-Triples, RDF/XML, JSON-LD) hold the union of the selected graphs; N-Quads and
TriG keep the named graphs.  ``--asserted`` leaves out the OWL-RL inferred graph.

The server does not serialize per request: ``ensure_dumps`` writes every file once into a
directory keyed by the store digest (plus gzip copies and SHA-256 checksums) and later
calls only read the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from ..content import app_query
from ..errors import BadRequest
from ..jsonld import build_context, to_jsonld
from ..namespaces import INFERRED_GRAPH, JKG, ONTOLOGY_GRAPH, PREFIXES
from ..query.execution.runner import Runner, StoreRunner

DUMP_STEM = "jichitai-kg"


@dataclass(frozen=True)
class DumpFormat:
    name: str
    label: str
    extension: str
    media_type: str
    rdf_format: ox.RdfFormat | None  # None: our own JSON-LD writer
    keeps_graphs: bool


FORMATS: dict[str, DumpFormat] = {
    f.name: f
    for f in (
        DumpFormat("turtle", "Turtle", "ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
        DumpFormat("ntriples", "N-Triples", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, False),
        DumpFormat("nquads", "N-Quads", "nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
        DumpFormat("trig", "TriG", "trig", "application/trig", ox.RdfFormat.TRIG, True),
        DumpFormat("jsonld", "JSON-LD", "jsonld", "application/ld+json", None, False),
        DumpFormat("rdfxml", "RDF/XML", "rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, False),
    )
}


def dump_format(name: str) -> DumpFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise BadRequest(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}") from None


def graph_names(store: ox.Store, *, inferences: bool) -> list[ox.NamedNode]:
    """The named graphs a dump includes, in a stable order."""
    names = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    if not inferences:
        names = [g for g in names if g.value != str(INFERRED_GRAPH)]
    return sorted(names, key=lambda g: g.value)


def _sort_key(q) -> tuple:
    return tuple((type(t).__name__, t.value if not isinstance(t, ox.Literal) else str(t))
                 for t in (q.subject, q.predicate, q.object))


def dataset_quads(store: ox.Store, *, inferences: bool) -> list[ox.Quad]:
    """Every quad of the selected named graphs (what N-Quads and TriG carry)."""
    quads: list[ox.Quad] = []
    for g in graph_names(store, inferences=inferences):
        part = list(store.quads_for_pattern(None, None, None, g))
        part.sort(key=_sort_key)
        quads.extend(part)
    return quads


def union_triples(store: ox.Store, *, inferences: bool) -> list[ox.Triple]:
    """The merge of the selected graphs, each triple once (what triple formats carry)."""
    seen = {q.triple for g in graph_names(store, inferences=inferences)
            for q in store.quads_for_pattern(None, None, None, g)}
    return sorted(seen, key=_sort_key)


def jsonld_context(runner: Runner) -> dict:
    """The published JSON-LD context, derived from the ontology's property declarations."""
    rows = runner.select(app_query("ld-context-terms"), graph=ox.NamedNode(str(ONTOLOGY_GRAPH)),
                         ns=str(JKG))
    props = []
    for r in rows:
        obj = r.get("isObject")
        props.append((r["property"].value, bool(obj is not None and obj.value == "true")))
    return build_context(props)


def serialize(store: ox.Store, fmt: DumpFormat, *, inferences: bool, context: dict) -> bytes:
    if fmt.keeps_graphs:
        return cast(bytes, ox.serialize(dataset_quads(store, inferences=inferences),
                                        format=fmt.rdf_format, prefixes=PREFIXES))
    triples = union_triples(store, inferences=inferences)
    if fmt.rdf_format is None:
        return to_jsonld(triples, context)
    prefixes = None if fmt.name == "ntriples" else PREFIXES
    return cast(bytes, ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes))


def export(store: ox.Store, fmt_name: str, *, inferences: bool = True) -> bytes:
    """One dump as bytes (the CLI's ``export`` command)."""
    fmt = dump_format(fmt_name)
    context = jsonld_context(StoreRunner(store)) if fmt.name == "jsonld" else {}
    return serialize(store, fmt, inferences=inferences, context=context)


# --- cached dump directory for the server -----------------------------------------


@dataclass(frozen=True)
class DumpFile:
    filename: str
    format: str
    label: str
    media_type: str
    inferences: bool
    compressed: bool
    size: int
    sha256: str


def dump_filename(fmt: DumpFormat, *, inferences: bool, compressed: bool = False) -> str:
    stem = DUMP_STEM if inferences else f"{DUMP_STEM}-asserted"
    return f"{stem}.{fmt.extension}" + (".gz" if compressed else "")


MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
_lock = threading.Lock()


def _write_all(store: ox.Store, target: Path) -> list[DumpFile]:
    context = jsonld_context(StoreRunner(store))
    (target / "context.jsonld").write_text(json.dumps({"@context": context}, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    files: list[DumpFile] = []
    for inferences in (True, False):
        for fmt in FORMATS.values():
            data = serialize(store, fmt, inferences=inferences, context=context)
            for compressed in (False, True):
                body = gzip.compress(data, mtime=0) if compressed else data
                name = dump_filename(fmt, inferences=inferences, compressed=compressed)
                (target / name).write_bytes(body)
                files.append(DumpFile(name, fmt.name, fmt.label, fmt.media_type, inferences, compressed,
                                      len(body), hashlib.sha256(body).hexdigest()))
    (target / CHECKSUMS).write_text("".join(f"{f.sha256}  {f.filename}\n" for f in files), encoding="utf-8")
    (target / MANIFEST).write_text(json.dumps([asdict(f) for f in files], indent=1), encoding="utf-8")
    return files


def load_manifest(directory: Path) -> list[DumpFile]:
    return [DumpFile(**d) for d in json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))]


def ensure_dumps(store: ox.Store, cache_dir: Path, digest: str) -> Path:
    """The directory holding every dump for this store digest, written on first use.

    Built in a temporary directory and renamed into place, so a reader never sees a
    half-written set; concurrent first requests in one process wait on a lock.
    """
    target = Path(cache_dir) / f"dumps-{digest}"
    if (target / MANIFEST).exists():
        return target
    with _lock:
        if (target / MANIFEST).exists():
            return target
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".dumps-{digest}-", dir=cache_dir))
        try:
            _write_all(store, tmp)
            try:
                os.replace(tmp, target)
            except OSError:  # another process won the race: keep theirs
                if not (target / MANIFEST).exists():
                    raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        _prune(Path(cache_dir), keep=target)
    return target


def _prune(cache_dir: Path, keep: Path) -> None:
    """Drop dump directories whose store is gone (the store cache keeps only recent stores)."""
    for d in cache_dir.glob("dumps-*"):
        digest = d.name.removeprefix("dumps-")
        if d != keep and d.is_dir() and not (cache_dir / f"store-{digest}").exists():
            shutil.rmtree(d, ignore_errors=True)
