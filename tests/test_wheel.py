"""The wheel carries everything: installed in a fresh venv and run from an empty folder,
the CLI and the server answer as the checkout does, with no file of the checkout in reach."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from loopback import free_port

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert proc.returncode == 0, (cmd, proc.stdout[-2000:], proc.stderr[-4000:])
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin directory, environment, empty working folder) of a venv holding only the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), str(ROOT)])
    wheel = next((tmp / "dist").glob("jichitai_kg-*.whl"))
    _run([sys.executable, "-m", "venv", str(tmp / "venv")])
    bin_dir = tmp / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    work = tmp / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JICHITAI_KG_", "PYTHON"))}
    env["XDG_CACHE_HOME"] = str(tmp / "user-cache")
    return wheel, bin_dir, env, work


def test_wheel_holds_the_graph_and_the_code_sparql(installed):
    wheel = installed[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("jichitai_kg/_content/ontology/jichitai.ttl",
                     "jichitai_kg/_content/data/gov/kanagawa.ttl",
                     "jichitai_kg/_content/queries/category-matrix.rq",
                     "jichitai_kg/_content/ontology/alignment.ttl",
                     "jichitai_kg/_content/ontology/shapes/shapes.ttl",
                     "jichitai_kg/_content/data/vocab/phase.ttl",
                     "jichitai_kg/_content/data/shared/national.ttl",
                     "jichitai_kg/_content/data/register/municipalities.ttl",
                     "jichitai_kg/sparql/map-points.rq",
                     "jichitai_kg/templates/map.html",
                     "jichitai_kg/sparql/sparql-graph-counts.rq",
                     "jichitai_kg/sparql/workbench-terms.rq",
                     "jichitai_kg/templates/index.html",
                     "jichitai_kg/static/workbench/main.js",
                     "jichitai_kg/static/vendor/codemirror/codemirror.js",
                     "jichitai_kg/static/vendor/codemirror/LICENSES.txt"):
        assert expected in names, expected
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT AND CC-BY-4.0" in meta
    # The register's source package is a dev tool (tools/gen_register.py), never a run-time need.
    japancode = [line for line in meta.splitlines() if line.startswith("Requires-Dist: japancode")]
    assert japancode and all(line.endswith(("extra == 'register'", 'extra == "register"')) for line in japancode), japancode


def test_cli_from_the_wheel_answers_as_the_checkout(installed):
    _, bin_dir, env, work = installed
    build = _run([str(bin_dir / "jichitai-kg"), "build"], cwd=work, env=env)
    assert "store: " + str(Path(env["XDG_CACHE_HOME"]) / "jichitai-kg") in build.stdout
    assert list(work.iterdir()) == []  # nothing written where it was run
    from_wheel = _run([str(bin_dir / "jichitai-kg"), "cq", "run", "category-matrix", "--format", "json"],
                      cwd=work, env=env)
    from_checkout = _run([sys.executable, "-m", "jichitai_kg", "--root", str(ROOT), "cq", "run",
                          "category-matrix", "--format", "json"], cwd=ROOT)
    rows = json.loads(from_wheel.stdout)["results"]["bindings"]
    assert rows == json.loads(from_checkout.stdout)["results"]["bindings"]
    assert len(rows) == 24  # 8 governments × 3 success factors
    count = _run([str(bin_dir / "jichitai-kg"), "query", "--format", "json",
                  "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], cwd=work, env=env)
    assert int(json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"]) > 10000


def test_server_from_the_wheel(installed):
    _, bin_dir, env, work = installed
    port = free_port()
    proc = subprocess.Popen([str(bin_dir / "jichitai-kg"), "serve", "--port", str(port), "--quiet"],
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                    health = json.load(resp)
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.3)
        assert health["status"] == "ok" and health["triples"] > 10000
        with urllib.request.urlopen(base + "/cq/category-matrix?format=json", timeout=30) as resp:
            assert len(json.load(resp)["results"]["bindings"]) == 24
        req = urllib.request.Request(base + "/id/gov/kanagawa", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(req, timeout=30) as resp:  # follows the 303
            body = resp.read().decode()
        assert resp.url.endswith("/id/gov/kanagawa.ttl")
        assert "神奈川県" in body
        with urllib.request.urlopen(base + "/", timeout=30) as resp:  # the workbench and its files
            home = resp.read().decode()
        assert "/static/workbench/main.js" in home
        assert "owl:ObjectProperty" in home  # the editor's term query, read from sparql/ in the wheel
        with urllib.request.urlopen(base + "/static/vendor/codemirror/codemirror.js", timeout=30) as resp:
            assert b"EditorView" in resp.read()
    finally:
        proc.terminate()
        proc.wait(20)
