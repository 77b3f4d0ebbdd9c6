"""Build the served dataset once, cache it on disk, and open it read-only.

The server and CLI never parse Turtle at start-up when nothing changed: the
dataset (ontology, asserted data, inferences, extra graphs) is built into an
on-disk pyoxigraph store whose directory name is a hash of every input.  Worker
processes then open that directory with ``Store.read_only``.

(Minimal first version: no reasoning, no atomic swap yet; see issue #4.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .namespaces import DATA_GRAPH, ONTOLOGY_GRAPH


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
            ontology_files=tuple(sorted((root / "ontology").glob("*.ttl"))),
            data_files=tuple(sorted((root / "data").rglob("*.ttl"))),
            extra_graphs=tuple((iri, Path(p)) for iri, p in extra_graphs),
        )

    def digest(self) -> str:
        h = hashlib.sha256()
        for group, files in (("ontology", self.ontology_files), ("data", self.data_files)):
            for f in files:
                h.update(f"{group}\0{f.name}\0".encode())
                h.update(f.read_bytes())
        for iri, f in self.extra_graphs:
            h.update(f"extra\0{iri}\0".encode())
            h.update(Path(f).read_bytes())
        return h.hexdigest()[:32]


def _load(store: ox.Store, files, graph: str) -> None:
    for f in files:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph)))


def prepare(inputs: Inputs, cache_dir: Path) -> Path:
    """Return the directory of an on-disk store for these inputs, building it if needed."""
    target = Path(cache_dir) / f"store-{inputs.digest()}"
    if (target / ".complete").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(target))
    _load(store, inputs.ontology_files, ONTOLOGY_GRAPH)
    _load(store, inputs.data_files, DATA_GRAPH)
    for iri, f in inputs.extra_graphs:
        store.load(path=str(f), to_graph=ox.NamedNode(iri))
    store.flush()
    del store
    (target / ".complete").touch()
    return target


def open_read_only(path: Path) -> ox.Store:
    """Open a prepared store for querying."""
    return ox.Store.read_only(str(path))
