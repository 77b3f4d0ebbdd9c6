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

import contextlib
import gc
import hashlib
import json
import os
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; nothing marks a store as in use
    fcntl = None  # type: ignore[assignment]
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from ..content import app_query
from ..errors import BuildError, TurtleSyntaxError
from ..namespaces import TERMS

ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH = (
    TERMS["ONTOLOGY_GRAPH"], TERMS["DATA_GRAPH"], TERMS["INFERRED_GRAPH"])

#: SHACL shapes live in ontology/shapes/ (outside the non-recursive glob) and are not part of the
#: served dataset and must not be reasoned over.
NOT_ONTOLOGY = frozenset({"shapes.ttl"})

STORE_PREFIX = "store-"
TMP_PREFIX = ".tmp-store-"
REPORT_FILE = "build.json"
KEEP_STORES = 2


@dataclass(frozen=True)
class Inputs:
    """The files a dataset is built from."""

    ontology_files: tuple[Path, ...]
    data_files: tuple[Path, ...]
    extra_graphs: tuple[tuple[str, Path], ...] = field(default_factory=tuple)

    @classmethod
    def from_root(cls, root: Path, extra_graphs=()) -> Inputs:
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

        The engine is not part of the key: tests/reasoning/test_reasoning.py proves both
        engines give the same filtered closure, so a store built with the native
        engine serves a server that would have used owlrl.
        """
        h = hashlib.sha256()
        h.update(reasoning_fingerprint())
        h.update(Path(__file__).read_bytes())
        for group, files in (("ontology", self.ontology_files), ("data", self.data_files)):
            for f in files:
                h.update(f"{group}\0{Path(f).name}\0".encode())
                h.update(Path(f).read_bytes())
        for iri, f in self.extra_graphs:
            h.update(f"extra\0{iri}\0".encode())
            h.update(Path(f).read_bytes())
        return h.hexdigest()[:32]


def _parsed(path: Path):
    """Parse one Turtle file lazily; blank nodes are renamed so that two files' ``_:b0`` never merge."""
    return ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)


def _syntax_error(path: Path, exc: SyntaxError) -> TurtleSyntaxError:
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    return TurtleSyntaxError(Path(path), exc.lineno, exc.offset, message)


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one Turtle file, turning a parser error into :class:`TurtleSyntaxError`.

    Blank nodes are renamed so that two files' ``_:b0`` never merge.
    """
    try:
        return list(_parsed(path))
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc


def ntriples(files) -> bytes:
    """The files' triples as one N-Triples document, each file's blank nodes renamed apart.

    The terms go from the Turtle parser to the N-Triples writer without being kept as
    Python objects; the document is what the reasoner reads and, with a graph name added
    to each line (:func:`in_graph`), what the store's bulk loader reads.
    """
    parts = []
    for f in files:
        try:
            parts.append(cast(bytes, ox.serialize(_parsed(f), format=ox.RdfFormat.N_QUADS)))
        except SyntaxError as exc:
            raise _syntax_error(f, exc) from exc
    return b"".join(parts)


def in_graph(document: bytes, graph_iri: str) -> bytes:
    """An N-Triples document (as pyoxigraph writes it) as N-Quads in the named graph ``graph_iri``.

    Every line ends with `` .\n`` and N-Triples escapes line breaks inside literals, so
    that sequence occurs only at line ends.
    """
    return document.replace(b" .\n", f" <{graph_iri}> .\n".encode())


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
    """Keep the newest stores (always including ``keep``) and every store a server holds."""
    survivors = [keep] + [p for p in _stores(cache_dir) if p != keep][: KEEP_STORES - 1]
    for p in _stores(cache_dir):
        if p not in survivors and not in_use(p):
            shutil.rmtree(p, ignore_errors=True)
            _lock_file(p).unlink(missing_ok=True)
    remove_abandoned_builds(cache_dir)


def remove_abandoned_builds(cache_dir: Path) -> None:
    """Drop temporary build directories whose building process is gone (killed builds)."""
    for p in Path(cache_dir).glob(TMP_PREFIX + "*"):
        pid = p.name.removeprefix(TMP_PREFIX).split("-")[1:2]
        if not (pid and pid[0].isdigit() and _alive(int(pid[0]))):
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_file(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def hold(store: Path):
    """Mark a store as in use (a shared lock) until the returned file is closed; None when
    the cache is read-only (then nothing prunes it either)."""
    if fcntl is None:
        return None
    try:
        handle = open(_lock_file(store), "a+b")  # kept open while serving
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def in_use(store: Path) -> bool:
    """Whether a running server holds ``store`` (see :func:`hold`)."""
    if fcntl is None:
        return False
    try:
        with open(_lock_file(store), "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def reasoning_fingerprint() -> bytes:
    """Bytes that change whenever the reasoner's behaviour may change (part of the cache key)."""
    parts = [f"owlrl={metadata.version('owlrl')};pyoxigraph={ox.__version__}".encode()]
    for f in sorted((Path(__file__).parents[1] / "reasoning").glob("*.py")):
        parts.append(f.name.encode() + b"\0" + f.read_bytes())
    return b"\0".join(parts)


def _require_writable(cache_dir: Path) -> None:
    """A store must be built and the cache folder cannot take it: one line, before any work."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        writable = os.access(cache_dir, os.W_OK | os.X_OK)
    except OSError as exc:
        raise BuildError(f"the cache folder {cache_dir} cannot be created ({exc.strerror}); "
                         "set CACHE_DIR to a writable folder") from None
    if not writable:
        raise BuildError(f"the store must be built, and the cache folder {cache_dir} is not "
                         "writable; set CACHE_DIR to a writable folder, or build it there first "
                         "(jichitai-kg build) as a user who may write it")


def store_path(inputs: Inputs, cache_dir: Path) -> Path:
    """Where the store for these inputs lives (whether or not it is built yet)."""
    return Path(cache_dir) / f"{STORE_PREFIX}{inputs.digest()}"


def prepare(inputs: Inputs, cache_dir: Path, *, engine: str = "auto", force: bool = False) -> Path:
    """Return the directory of an on-disk store for these inputs, building it if needed.

    Raises :class:`TurtleSyntaxError` (and builds nothing) when a file does not parse.
    ``engine="auto"`` uses the native engine unless the inputs need owlrl (see reasoning/).
    """
    cache_dir = Path(cache_dir)
    if cache_dir.is_dir() and os.access(cache_dir, os.W_OK):
        remove_abandoned_builds(cache_dir)
    target = store_path(inputs, cache_dir)
    digest = target.name.removeprefix(STORE_PREFIX)
    if target.is_dir() and not force:
        with contextlib.suppress(OSError):  # a read-only cache serves as it is
            os.utime(target)  # most recently used: pruning keeps it
        return target
    _require_writable(cache_dir)

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ontology = ntriples(inputs.ontology_files)
    data = ntriples(inputs.data_files)
    timings["parse"] = time.perf_counter() - t0

    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f"{TMP_PREFIX}{digest}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        store = ox.Store(str(tmp))
        result = _load_while_reasoning(store, ontology, data, engine, timings)
        t0 = time.perf_counter()
        del ontology, data
        store.bulk_load(result.nquads(ox.NamedNode(str(INFERRED_GRAPH))), format=ox.RdfFormat.N_QUADS,
                        lenient=True)  # written by pyoxigraph from checked terms
        for iri, f in inputs.extra_graphs:
            store.load(path=str(f), to_graph=ox.NamedNode(iri))
        store.flush()
        # counted by the store: it keeps typed literals by value ("01" and "1" as integers are one)
        counts = graph_triple_counts(store)
        timings["load"] += time.perf_counter() - t0
        del store  # the search index is built after the rename, on first use (text_index.ensure_index)
        gc.collect()
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


def _load_while_reasoning(store: ox.Store, ontology: bytes, data: bytes, engine: str, timings: dict):
    """Bulk-load the asserted graphs in a thread while the reasoner runs here.

    The bulk loader works in Rust without the GIL, so on two cores the store load and the
    (pure Python) reasoner overlap.  ``timings["reason"]`` is the reasoner's time,
    ``timings["load"]`` the time the load went on after the reasoner finished.  Returns
    the reasoner's :class:`~jichitai_kg.reasoning.Materialization`; either side's error is
    raised, and only once the loader has stopped (so that the caller may delete the store).
    """
    from .. import reasoning  # here, not at the top: reading a built store needs no reasoner

    asserted = in_graph(ontology, str(ONTOLOGY_GRAPH)) + in_graph(data, str(DATA_GRAPH))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-load") as pool:
        loading = pool.submit(store.bulk_load, asserted, format=ox.RdfFormat.N_QUADS,
                              lenient=True)  # written by pyoxigraph from checked terms
        del asserted
        t0 = time.perf_counter()
        schema = reasoning.quads_to_graph(ox.parse(ontology, format=ox.RdfFormat.N_TRIPLES))
        result = reasoning.materialize(schema, data, engine=engine)  # on error, `with` waits for the load
        timings["reason"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        loading.result()
        timings["load"] = time.perf_counter() - t0
    return result


def graph_triple_counts(store: ox.Store) -> dict[str, int]:
    """Distinct triples per named graph, counted by the store itself."""
    rows = cast(ox.QuerySolutions, store.query(app_query("sparql-graph-counts")))
    return {row["graph"].value: int(row["triples"].value) for row in rows}


def open_read_only(path: Path) -> ox.Store:
    """Open a prepared store for querying; a damaged one is named with the way to rebuild it."""
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(f"the store {path} cannot be opened ({first_line}); "
                         "`jichitai-kg build --force` rebuilds it") from None
