"""The releases kept in the repository: ``data/releases/releases.json`` and one folder each.

A release is a semantic version (``1.2.0``) plus the SHA-256 of its content: the whole
dataset (ontology, data and inferred graphs) as canonical N-Quads — blank nodes labelled by
RDF canonicalization, lines sorted — so the same graphs always give the same bytes and the
same hash.  Its folder holds that file gzip-compressed (``jichitai-kg.nq.gz``), its
``SHA256SUMS`` and, from the second release on, the triples added and removed since the
one before.  Nothing here ends in ``.ttl``, so the store build never reads it as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import BadRequest, NotFound

RELEASES_DIR = Path("data") / "releases"
INDEX = "releases.json"
DUMP = "jichitai-kg.nq.gz"
CHECKSUMS = "SHA256SUMS"
ADDED = "added.nq.gz"
REMOVED = "removed.nq.gz"
CHANGELOG = "CHANGELOG.md"
DCAT = "catalog.jsonld"
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True)
class Release:
    version: str
    content_hash: str  # SHA-256 of the canonical N-Quads (uncompressed)
    date: str
    quads: int
    graphs: dict[str, int] = field(default_factory=dict)
    dump_sha256: str = ""  # SHA-256 of the .nq.gz file
    previous: str | None = None
    added: int = 0
    removed: int = 0

    @property
    def name(self) -> str:
        """``1.2.0+1a2b3c4d``: the version and the start of the content hash."""
        return f"{self.version}+{self.content_hash[:8]}"


def releases_dir(root: Path | str) -> Path:
    return Path(root) / RELEASES_DIR


def load(root: Path | str) -> list[Release]:
    """Every release, oldest first (none: an empty list)."""
    path = releases_dir(root) / INDEX
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Release(**item) for item in data["releases"]]


def save(root: Path | str, releases: list[Release]) -> Path:
    path = releases_dir(root) / INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"releases": [asdict(r) for r in releases]}, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def find(root: Path | str, name: str) -> Release:
    """A release by version (``1.2.0``), name (``1.2.0+1a2b3c4d``) or ``latest``; NotFound otherwise."""
    releases = load(root)
    if name == "latest" and releases:
        return releases[-1]
    version, _, digest = name.partition("+")
    for release in releases:
        if release.version == version and release.content_hash.startswith(digest):
            return release
    known = ", ".join(r.version for r in releases) or "none yet"
    raise NotFound(f"No release {name!r} of this dataset; releases: {known}.")


def dump_path(root: Path | str, release: Release) -> Path:
    return releases_dir(root) / release.version / DUMP


def check_version(version: str) -> str:
    if not _SEMVER.match(version):
        raise BadRequest(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)")
    return version


def next_version(releases: list[Release], bump: str) -> str:
    """The version after the latest: ``major``, ``minor`` or ``patch``; the first is 1.0.0."""
    if not releases:
        return "1.0.0"
    major, minor, patch = (int(x) for x in releases[-1].version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise BadRequest(f"--bump must be major, minor or patch, not {bump!r}")


def semver_key(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(x) for x in version.split("."))
    return major, minor, patch
