"""Releases (docs/releases.md): cut A, change the data, cut B; a citation on A still reproduces
its digest through the permalink, the Python API and the CLI, while default answers come from B."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

import jichitai_kg
from jichitai_kg import releases
from jichitai_kg.cli import main
from jichitai_kg.errors import BadRequest, NotFound

ROOT = Path(__file__).resolve().parents[2]
KAMAKURA = "https://w3id.org/jichitai-kg/id/gov/kamakura"
QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         f"SELECT ?comment WHERE {{ <{KAMAKURA}> rdfs:comment ?comment FILTER(LANG(?comment) = 'en') }} ORDER BY ?comment")
NEW = '<https://w3id.org/jichitai-kg/id/gov/kamakura> rdfs:comment "A comment added between two releases (test)."@en .\n'
NEW_QUAD = (f'<{KAMAKURA}> <http://www.w3.org/2000/01/rdf-schema#comment> '
            '"A comment added between two releases (test)."@en <https://w3id.org/jichitai-kg/graph/data> .')


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory, service_store) -> Path:
    """A copy of the project whose cache starts with the session's store (A costs no build)."""
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("releases"))
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    shutil.copytree(service_store, root / ".cache" / service_store.name)
    return root


def make_app(root: Path):
    from jichitai_kg.web import create_app

    return create_app({"ROOT": str(root), "EXTRA_GRAPHS": [], "QUERY_WORKERS": 1, "LONG_QUERY_WORKERS": 0,
                       "QUERY_TIMEOUT": 20, "RESULT_CACHE_BYTES": 0})


def close_app(app) -> None:
    from jichitai_kg.web import state

    state.get_dataset(app).close()
    state.close_releases(app)


def cli_json(root: Path, capsys, *args: str) -> bytes:
    capsys.readouterr()
    code = main(["--root", str(root), "query", "--format", "json", *args, QUERY])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out.encode("utf-8").removesuffix(b"\n")


@pytest.fixture(scope="module")
def history(project) -> dict:
    """Cut A, cite on A, change the data, cut B."""
    a = releases.cut(project, project / ".cache", date="2026-12-01")
    app = make_app(project)
    try:
        cited = app.test_client().get("/sparql", query_string={"query": QUERY})
        citation = {"release": cited.headers["X-Data-Release"], "version": cited.headers["X-Data-Version"],
                    "digest": sha256(cited.data), "body": cited.data}
    finally:
        close_app(app)
    with (project / "data" / "gov" / "kamakura.ttl").open("a", encoding="utf-8") as f:
        f.write("\n" + NEW)
    b = releases.cut(project, project / ".cache", date="2026-12-07")
    return {"a": a, "b": b, "citation": citation}


def test_release_files_and_index(project, history):
    a, b = history["a"], history["b"]
    assert (a.version, b.version) == ("1.0.0", "1.1.0")
    assert b.previous == "1.0.0" and (b.added, b.removed) == (1, 0)
    assert [r.version for r in releases.load(project)] == ["1.0.0", "1.1.0"]
    folder = project / "data" / "releases" / "1.1.0"
    body = gzip.decompress((folder / "jichitai-kg.nq.gz").read_bytes())
    assert sha256(body) == b.content_hash and b.quads == a.quads + 1 == body.count(b"\n")
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert sha256((folder / name).read_bytes()) == digest
    assert gzip.decompress((folder / "added.nq.gz").read_bytes()).decode() == NEW_QUAD + "\n"
    assert gzip.decompress((folder / "removed.nq.gz").read_bytes()) == b""
    citation_cff = (project / "CITATION.cff").read_text()
    assert 'version: "1.1.0"' in citation_cff and 'date-released: "2026-12-07"' in citation_cff
    dcat = json.loads((project / "data" / "releases" / "catalog.jsonld").read_text())
    assert dcat["dcat:version"] == "1.1.0"
    assert [v["dcat:version"] for v in dcat["dcat:hasVersion"]] == ["1.1.0", "1.0.0"]
    assert dcat["dcat:hasVersion"][0]["dcat:distribution"]["spdx:checksum"]["spdx:checksumValue"] == b.dump_sha256
    # the store build never reads the releases as data
    from jichitai_kg.store import Inputs
    assert not [f for f in Inputs.from_root(project).data_files if "releases" in f.parts]


def test_changelog_lists_exactly_the_change(project, history):
    text = (project / "data" / "releases" / "CHANGELOG.md").read_text(encoding="utf-8")
    b_part = text.split("## 1.1.0 — 2026-12-07", 1)[1].split("## 1.0.0", 1)[0]
    assert "Since 1.0.0: 1 quads added, 0 removed" in b_part
    assert "| <https://w3id.org/jichitai-kg/graph/data> | 1 | 0 |" in b_part
    assert b_part.count("| <https://") == 1  # no other graph changed
    assert "- 鎌倉市 (`gov:kamakura`): +1 −0; resources: gov:kamakura" in b_part
    assert "+ " + NEW_QUAD in b_part and "\n- <" not in b_part
    assert "## 1.0.0 — 2026-12-01" in text and "First release:" in text


def test_citation_on_a_reproduces_while_default_is_b(project, history, capsys):
    citation = history["citation"]
    assert citation["release"] == "1.0.0"
    app = make_app(project)
    try:
        client = app.test_client()
        permalink = client.get("/v/1.0.0/sparql", query_string={"query": QUERY})
        assert permalink.status_code == 200 and sha256(permalink.data) == citation["digest"]
        assert permalink.headers["X-Data-Release"] == "1.0.0"
        current = client.get("/sparql", query_string={"query": QUERY})
        assert current.headers["X-Data-Release"] == "1.1.0"
        comments = [b["comment"]["value"] for b in json.loads(current.data)["results"]["bindings"]]
        assert "A comment added between two releases (test)." in comments
        assert sha256(current.data) != citation["digest"]
        old_page = client.get("/v/1.0.0/id/gov/kamakura.nt").data.decode()
        new_page = client.get("/id/gov/kamakura.nt").data.decode()
        assert "between two releases" in new_page and "between two releases" not in old_page
        missing = client.get("/v/9.9.9/sparql", query_string={"query": QUERY}, headers={"Accept": "application/json"})
        assert missing.status_code == 404 and "releases: 1.0.0, 1.1.0" in missing.get_json()["detail"]
    finally:
        close_app(app)
    with jichitai_kg.open(project, release="1.0.0") as kg:
        result = kg.query(QUERY)
        assert sha256(result.body) == citation["digest"] and result.release == "1.0.0"
    with jichitai_kg.open(project) as kg:
        assert kg.release == "1.1.0" and sha256(kg.query(QUERY).body) != citation["digest"]
    assert sha256(cli_json(project, capsys, "--release", "1.0.0")) == citation["digest"]
    assert sha256(cli_json(project, capsys)) != citation["digest"]


def test_nothing_to_release_and_bad_versions(project, history):
    with pytest.raises(BadRequest, match="has not changed since release 1.1.0"):
        releases.cut(project, project / ".cache")
    with pytest.raises(NotFound, match="No release '2.0.0'"):
        releases.find(project, "2.0.0")
    assert releases.find(project, "latest").version == "1.1.0"
    assert releases.find(project, history["b"].name).version == "1.1.0"
