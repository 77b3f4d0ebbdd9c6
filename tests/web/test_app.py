"""The application factory: configuration layers, optional blueprints, service description build."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jichitai_kg.errors import BadRequest
from jichitai_kg.linked_data.service import describe_service
from jichitai_kg.namespaces import DATA_GRAPH, SD
from jichitai_kg.web import create_app
from jichitai_kg.web.state import get_dataset


def test_defaults(monkeypatch, project_root):
    for key in ("JICHITAI_KG_CONFIG", "JICHITAI_KG_QUERY_TIMEOUT", "JICHITAI_KG_ROOT",
                "JICHITAI_KG_CACHE_DIR"):
        monkeypatch.delenv(key, raising=False)
    app = create_app({"EAGER_START": False})
    assert app.config["ROOT"] == str(project_root)
    assert app.config["CACHE_DIR"] == str(project_root / ".cache")
    assert app.config["QUERY_TIMEOUT"] == 10.0
    assert app.config["SERVICE_ALLOWLIST"] == []
    state = get_dataset(app)
    assert state._executor is None and state.store_path is None  # lazy when EAGER_START is off
    assert state.inputs.data_files  # the checkout's data/*.ttl


def test_remote_store_settings(monkeypatch):
    """STORE_* (docs/deployment.md): off by default; strings from the environment are parsed."""
    app = create_app({"EAGER_START": False})
    assert app.config["STORE_QUERY_ENDPOINT"] is None and app.config["STORE_VERSION_CHECK"] is True
    assert app.config["STORE_PASSWORD_ENV"] == "JICHITAI_KG_STORE_PASSWORD"
    assert get_dataset(app).remote is False
    monkeypatch.setenv("JICHITAI_KG_STORE_QUERY_ENDPOINT", "http://127.0.0.1:7878/query")
    monkeypatch.setenv("JICHITAI_KG_STORE_VERSION_CHECK", "off")
    app = create_app({"EAGER_START": False})
    assert app.config["STORE_QUERY_ENDPOINT"] == "http://127.0.0.1:7878/query"
    assert app.config["STORE_VERSION_CHECK"] is False
    assert get_dataset(app).remote is True
    monkeypatch.setenv("JICHITAI_KG_STORE_VERSION_CHECK", "maybe")
    with pytest.raises(BadRequest, match="STORE_VERSION_CHECK"):
        create_app({"EAGER_START": False})


def test_every_blueprint_is_registered():
    app = create_app({"EAGER_START": False})
    released = {"sparql", "cq", "linked_data", "search", "reconcile"}  # also under /v/<release>/
    assert set(app.blueprints) == {"sparql", "pages", "cq", "linked_data", "search", "reconcile",
                                   "map", "runs"} | {f"v_{name}" for name in released}


def test_public_base_names_the_endpoint(w3c_root):
    root, files = w3c_root
    app = create_app({"ROOT": str(root), "EXTRA_GRAPHS": files,
                      "QUERY_WORKERS": 1, "PUBLIC_BASE": "https://kg.example.org/jichitai/"})
    try:
        resp = app.test_client().get("/sparql", headers={"Accept": "application/n-triples"})
        assert "<https://kg.example.org/jichitai/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> " \
               "<https://kg.example.org/jichitai/sparql> ." in resp.data.decode()
    finally:
        get_dataset(app).close()


def test_federated_feature_only_with_an_allowlist():
    plain = describe_service("http://x/sparql", {str(DATA_GRAPH): 3})
    fed = describe_service("http://x/sparql", {str(DATA_GRAPH): 3}, federated=True)
    federated = ox.Triple(ox.NamedNode("http://x/sparql"), ox.NamedNode(str(SD.feature)),
                          ox.NamedNode(str(SD.BasicFederatedQuery)))
    assert federated not in plain
    assert federated in fed
