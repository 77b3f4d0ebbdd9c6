"""Cutting a release: the working data's content written under ``data/releases/<version>/``,
the index, changelog, DCAT catalog and ``CITATION.cff`` brought up to date."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadRequest
from ..namespaces import BASE
from ..store import Inputs, open_read_only, prepare
from . import catalog, content
from .catalog import Release
from .diff import changelog_section, compute, graph_iri

CHANGELOG_HEAD = ("# Releases of the dataset\n\nEvery release stays queryable at `/v/<version>/sparql` "
                  "and `/v/<version>/id/…`; see docs/releases.md.\n\n")


def cut(root: Path | str, cache_dir: Path | str, *, version: str | None = None, bump: str = "minor",
        date: str | None = None, engine: str = "auto") -> Release:
    """Release the working data of ``root``; BadRequest when it equals the latest release."""
    root = Path(root)
    releases = catalog.load(root)
    store_path = prepare(Inputs.from_root(root), Path(cache_dir), engine=engine)
    lines = content.canonical_lines(open_read_only(store_path))
    body = content.encode(lines)
    digest = content.content_hash(body)
    content.remember_content_hash(store_path, cache_dir, digest)
    previous = releases[-1] if releases else None
    if previous is not None and previous.content_hash == digest:
        raise BadRequest(f"The data has not changed since release {previous.version}; nothing to release.")
    version = catalog.check_version(version) if version else catalog.next_version(releases, bump)
    if previous is not None and catalog.semver_key(version) <= catalog.semver_key(previous.version):
        raise BadRequest(f"Version {version} is not after the latest release, {previous.version}.")
    date = date or dt.date.today().isoformat()
    folder = catalog.releases_dir(root) / version
    dump_sha = content.write_gzip(folder / catalog.DUMP, body)
    sums = {catalog.DUMP: dump_sha}
    totals = dict(sorted(Counter(graph_iri(q) for q in ox.parse(body, ox.RdfFormat.N_QUADS)).items()))
    diff = None
    if previous is not None:
        diff = compute(content.read_lines(catalog.dump_path(root, previous)), lines)
        sums[catalog.ADDED] = content.write_gzip(folder / catalog.ADDED, content.encode(diff.added))
        sums[catalog.REMOVED] = content.write_gzip(folder / catalog.REMOVED, content.encode(diff.removed))
    (folder / catalog.CHECKSUMS).write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())),
                                            encoding="ascii")
    release = Release(version=version, content_hash=digest, date=date, quads=len(lines), graphs=totals,
                      dump_sha256=dump_sha, previous=previous.version if previous else None,
                      added=len(diff.added) if diff else 0, removed=len(diff.removed) if diff else 0)
    releases.append(release)
    catalog.save(root, releases)
    _prepend_changelog(root, changelog_section(version, release.previous, date, totals, diff))
    write_dcat(root, releases)
    update_citation(root, release)
    return release


def _prepend_changelog(root: Path, section: str) -> None:
    path = catalog.releases_dir(root) / catalog.CHANGELOG
    old = path.read_text(encoding="utf-8") if path.exists() else CHANGELOG_HEAD
    body = old.removeprefix(CHANGELOG_HEAD)
    path.write_text(CHANGELOG_HEAD + section + ("\n" + body if body.strip() else ""), encoding="utf-8")


def write_dcat(root: Path, releases: list[Release]) -> Path:
    """``catalog.jsonld``: the dataset with one ``dcat:Dataset`` per release (version, issued,
    distribution with its SHA-256), newest first, linked by ``dcat:previousVersion``."""
    dataset_iri = BASE + "dataset"
    versions = []
    for r in reversed(releases):
        item = {
            "@id": f"{BASE}v/{r.version}",
            "@type": "dcat:Dataset",
            "dcat:version": r.version,
            "dcterms:issued": {"@value": r.date, "@type": "xsd:date"},
            "dcterms:isVersionOf": {"@id": dataset_iri},
            "dcat:distribution": {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": {"@id": f"{BASE}v/{r.version}/{catalog.DUMP}"},
                "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/application/n-quads"},
                "dcat:compressFormat": {"@id": "https://www.iana.org/assignments/media-types/application/gzip"},
                "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                                  "spdx:checksumValue": r.dump_sha256},
            },
            "dcat:accessService": {"@id": f"{BASE}v/{r.version}/sparql"},
            "void:triples": r.quads,
            "adms:versionNotes": f"content SHA-256 {r.content_hash}",
        }
        if r.previous:
            item["dcat:previousVersion"] = {"@id": f"{BASE}v/{r.previous}"}
        versions.append(item)
    doc = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dcterms": "http://purl.org/dc/terms/",
                     "xsd": "http://www.w3.org/2001/XMLSchema#", "spdx": "http://spdx.org/rdf/terms#",
                     "void": "http://rdfs.org/ns/void#", "adms": "http://www.w3.org/ns/adms#"},
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        "dcat:version": releases[-1].version if releases else None,
        "dcat:hasCurrentVersion": {"@id": f"{BASE}v/{releases[-1].version}"} if releases else None,
        "dcat:hasVersion": versions,
    }
    path = catalog.releases_dir(root) / catalog.DCAT
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def update_citation(root: Path, release: Release) -> Path | None:
    """``CITATION.cff``: ``version`` and ``date-released`` of the new release."""
    path = root / "CITATION.cff"
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^version: .*$', f'version: "{release.version}"', text)
    text = re.sub(r'(?m)^date-released: .*$', f'date-released: "{release.date}"', text)
    path.write_text(text, encoding="utf-8")
    return path
