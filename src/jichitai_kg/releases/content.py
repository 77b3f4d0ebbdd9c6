"""A release's content: canonical N-Quads written once, and a store built from them on demand.

``canonical_lines`` turns a store (every named graph) into sorted N-Quads lines with blank
nodes relabelled by pyoxigraph's RDF canonicalization, so equal graphs give equal bytes.
``ensure_store`` builds the store of a release into the cache folder the first time it is
asked for (``release-<version>-<hash>``, beside the working store, never pruned by it) and
reuses it afterwards; a half-built store is never seen (built in a temporary folder, renamed).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from ..errors import BuildError
from ..store import open_read_only
from .catalog import Release, dump_path

STORE_PREFIX = "release-"
_lock = threading.Lock()


def canonical_lines(store: ox.Store) -> list[str]:
    """Every quad of ``store`` in a named graph, as sorted canonical N-Quads lines."""
    dataset = ox.Dataset(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(f"{q} ." for q in dataset)


def encode(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def write_gzip(path: Path, body: bytes) -> str:
    """Write ``body`` gzip-compressed (reproducibly: no name, no time); the file's SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(body, compresslevel=9, mtime=0)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_lines(path: Path) -> list[str]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return [line for line in text.split("\n") if line]


def store_dir(cache_dir: Path | str, release: Release) -> Path:
    return Path(cache_dir) / f"{STORE_PREFIX}{release.version}-{release.content_hash[:16]}"


def ensure_store(root: Path | str, release: Release, cache_dir: Path | str) -> Path:
    """The on-disk store of ``release``, built from its N-Quads if the cache has none."""
    target = store_dir(cache_dir, release)
    if target.is_dir():
        return target
    with _lock:
        if target.is_dir():
            return target
        source = dump_path(root, release)
        if not source.exists():
            raise BuildError(f"release {release.version}: {source} is missing")
        data = gzip.decompress(source.read_bytes())
        if content_hash(data) != release.content_hash:
            raise BuildError(f"release {release.version}: {source} does not match its content hash")
        tmp = Path(cache_dir) / f".tmp-{target.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(tmp))
        store.bulk_load(data, ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        try:
            tmp.rename(target)
        except OSError:  # another process built it first
            shutil.rmtree(tmp, ignore_errors=True)
            if not target.is_dir():
                raise
        return target


def open_release_store(root: Path | str, release: Release, cache_dir: Path | str) -> ox.Store:
    return open_read_only(ensure_store(root, release, cache_dir))


def store_content_hash(store_path: Path, cache_dir: Path | str) -> str:
    """The content hash of a built store (computed once, remembered in the cache folder)."""
    with contextlib.suppress(OSError):
        return _memo(store_path, cache_dir).read_text(encoding="ascii").strip()
    digest = content_hash(encode(canonical_lines(open_read_only(store_path))))
    remember_content_hash(store_path, cache_dir, digest)
    return digest


def remember_content_hash(store_path: Path, cache_dir: Path | str, digest: str) -> None:
    """Note a store's content hash (``cut`` knows it), so serving need not compute it again."""
    with contextlib.suppress(OSError):
        _memo(store_path, cache_dir).write_text(digest + "\n", encoding="ascii")


def _memo(store_path: Path, cache_dir: Path | str) -> Path:
    return Path(cache_dir) / f"content-{store_path.name}.sha256"
