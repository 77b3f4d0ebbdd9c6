"""Build the served dataset once, cache it on disk, and open it read-only.

The server and CLI never parse Turtle or run the reasoner at start-up when
nothing changed: the dataset (ontology, asserted data, OWL-RL inferences,
extra graphs) is built into an on-disk pyoxigraph store whose directory name
is a hash of every input *and of the reasoner's code*.  Worker processes open
that directory with ``Store.read_only``.

Crash safety: a store is built in a temporary directory next to the target and
``os.rename``d into place only when complete, so a half-built store is never
found under a final name; a failed build (e.g. a Turtle syntax error) raises
before anything is written and leaves the previous stores alone.  Old stores
are pruned only after a successful build, keeping the latest two.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import reasoning
from .namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

#: SHACL shapes live in ontology/shapes/ (outside the non-recursive glob) and are not part of the
#: served dataset and must not be reasoned over.
NOT_ONTOLOGY = frozenset({"shapes.ttl"})

STORE_PREFIX = "store-"
TMP_PREFIX = ".tmp-store-"
REPORT_FILE = "build.json"
KEEP_STORES = 2


class TurtleSyntaxError(ValueError):
    """A data or ontology file does not parse; names the file and line for the curator."""

    def __init__(self, path: Path, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = Path(path), line, column, message
        where = f"{path}:{line}" + (f":{column}" if column else "") if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Inputs:
    """The files a dataset is built from."""

    ontology_files: tuple[Path, ...]
    data_files: tuple[Path, ...]
    extra_graphs: tuple[tuple[str, Path], ...] = field(default_factory=tuple)

    @classmethod
    def from_root(cls, root: Path, extra_graphs=()) -> "Inputs":
        root = Path(root)
        return cls(
            ontology_files=tuple(
                f for f in sorted((root / "ontology").glob("*.ttl")) if f.name not in NOT_ONTOLOGY
            ),
            data_files=tuple(sorted((root / "data").rglob("*.ttl"))),
            extra_graphs=tuple((str(iri), Path(p)) for iri, p in extra_graphs),
        )

    def digest(self) -> str:
        """Hash of every input byte plus the code that turns them into a store.

        The engine is not part of the key: tests/test_reasoning.py proves both
        engines give the same filtered closure, so a store built with the fast
        engine serves a server that would have used owlrl.
        """
        h = hashlib.sha256()
        h.update(reasoning.code_fingerprint())
        h.update(Path(__file__).read_bytes())
        for group, files in (("ontology", self.ontology_files), ("data", self.data_files)):
            for f in files:
                h.update(f"{group}\0{Path(f).name}\0".encode())
                h.update(Path(f).read_bytes())
        for iri, f in self.extra_graphs:
            h.update(f"extra\0{iri}\0".encode())
            h.update(Path(f).read_bytes())
        return h.hexdigest()[:32]


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one Turtle file, turning a parser error into :class:`TurtleSyntaxError`.

    Blank nodes are renamed so that two files' ``_:b0`` never merge.
    """
    path = Path(path)
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise TurtleSyntaxError(path, exc.lineno, exc.offset, message) from exc


def _in_graph(quads, graph_iri: str):
    g = ox.NamedNode(str(graph_iri))
    return (ox.Quad(q.subject, q.predicate, q.object, g) for q in quads)


def read_report(path: Path) -> dict:
    """Counts, timings and inconsistencies recorded when the store at ``path`` was built."""
    f = Path(path) / REPORT_FILE
    return json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}


def _stores(cache_dir: Path) -> list[Path]:
    return sorted(
        (p for p in cache_dir.glob(STORE_PREFIX + "*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )


def _prune(cache_dir: Path, keep: Path) -> None:
    """Keep the newest stores (always including ``keep``); drop stale temporary builds."""
    survivors = [keep] + [p for p in _stores(cache_dir) if p != keep][: KEEP_STORES - 1]
    for p in _stores(cache_dir):
        if p not in survivors:
            shutil.rmtree(p, ignore_errors=True)
    for p in cache_dir.glob(TMP_PREFIX + "*"):
        if time.time() - p.stat().st_mtime > 3600:  # a crashed build; a live one is younger
            shutil.rmtree(p, ignore_errors=True)


def store_path(inputs: Inputs, cache_dir: Path) -> Path:
    """Where the store for these inputs lives (whether or not it is built yet)."""
    return Path(cache_dir) / f"{STORE_PREFIX}{inputs.digest()}"


def prepare(inputs: Inputs, cache_dir: Path, *, engine: str = "auto", force: bool = False) -> Path:
    """Return the directory of an on-disk store for these inputs, building it if needed.

    Raises :class:`TurtleSyntaxError` (and builds nothing) when a file does not parse.
    ``engine="auto"`` uses the fast engine unless the inputs need owlrl (see reasoning.py).
    """
    cache_dir = Path(cache_dir)
    target = store_path(inputs, cache_dir)
    digest = target.name.removeprefix(STORE_PREFIX)
    if target.is_dir() and not force:
        os.utime(target)  # most recently used: pruning keeps it
        return target

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ontology = [q for f in inputs.ontology_files for q in parse_file(f)]
    data = [q for f in inputs.data_files for q in parse_file(f)]
    timings["parse"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = reasoning.materialize(reasoning.quads_to_graph(ontology), data, engine=engine)
    timings["reason"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f"{TMP_PREFIX}{digest}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        store = ox.Store(str(tmp))
        store.bulk_extend(_in_graph(ontology, ONTOLOGY_GRAPH))
        store.bulk_extend(_in_graph(data, DATA_GRAPH))
        result.load_into(store, ox.NamedNode(str(INFERRED_GRAPH)))
        for iri, f in inputs.extra_graphs:
            store.load(path=str(f), to_graph=ox.NamedNode(iri))
        store.flush()
        counts = graph_triple_counts(store)
        del store
        gc.collect()
        timings["load"] = time.perf_counter() - t0
        report = {
            "digest": digest,
            "engine": result.engine,
            "asserted": counts.get(str(ONTOLOGY_GRAPH), 0) + counts.get(str(DATA_GRAPH), 0),
            "ontology_triples": counts.get(str(ONTOLOGY_GRAPH), 0),
            "data_triples": counts.get(str(DATA_GRAPH), 0),
            "inferred_kept": result.kept,
            "inferred_dropped": result.dropped,
            "dropped_by_reason": result.dropped_by_reason,
            "inconsistencies": result.inconsistencies,
            "timings": {k: round(v, 3) for k, v in timings.items()},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        if force and target.is_dir():
            shutil.rmtree(target)
        try:
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():  # not "someone else finished the same build first"
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(cache_dir, target)
    return target


GRAPH_COUNTS_QUERY = Path(__file__).resolve().parents[2] / "queries" / "app" / "sparql-graph-counts.rq"


def graph_triple_counts(store: ox.Store) -> dict[str, int]:
    """Distinct triples per named graph, counted by the store itself."""
    rows = store.query(GRAPH_COUNTS_QUERY.read_text(encoding="utf-8"))
    return {row["graph"].value: int(row["triples"].value) for row in rows}


def open_read_only(path: Path) -> ox.Store:
    """Open a prepared store for querying."""
    return ox.Store.read_only(str(path))
