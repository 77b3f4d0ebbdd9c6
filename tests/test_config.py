"""The settings table (config.py): layers, conversion, bounds, unknown names, help and docs."""

from __future__ import annotations

import os

import pytest

from jichitai_kg import config
from jichitai_kg.cli import main
from jichitai_kg.config import SETTINGS, load_settings
from jichitai_kg.errors import BadRequest


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for key in list(os.environ):
        if key.startswith("JICHITAI_KG_"):
            monkeypatch.delenv(key)


def test_defaults(project_root):
    s = load_settings()
    assert s["ROOT"] == str(project_root) and s["CACHE_DIR"] == str(project_root / ".cache")
    assert s["QUERY_TIMEOUT"] == 10.0 and s["SERVICE_ALLOWLIST"] == []
    assert s["QUERY_SANDBOX"] is True and s["REASONING_ENGINE"] == "auto"
    assert config.DEFAULTS == {x.name: x.default for x in SETTINGS}


def test_layers_file_then_env_then_overrides(monkeypatch, tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text("QUERY_TIMEOUT = 30\nQUERY_WORKERS = 5\nMAX_RESULT_BYTES = 1000\n")
    monkeypatch.setenv("JICHITAI_KG_CONFIG", str(settings))
    monkeypatch.setenv("JICHITAI_KG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("JICHITAI_KG_SERVICE_ALLOWLIST", '["https://query.wikidata.org/sparql"]')
    monkeypatch.setenv("JICHITAI_KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("JICHITAI_KG_STORE_PASSWORD", "secret")  # not a setting, and not refused
    s = load_settings({"MAX_RESULT_BYTES": 4242})
    assert s["QUERY_WORKERS"] == 5  # from the file
    assert s["QUERY_TIMEOUT"] == 2.5  # env beats the file
    assert s["MAX_RESULT_BYTES"] == 4242  # overrides beat both
    assert s["SERVICE_ALLOWLIST"] == ["https://query.wikidata.org/sparql"]
    assert s["CACHE_DIR"] == str(tmp_path / "cache")


def test_strings_from_the_environment_are_converted(monkeypatch):
    monkeypatch.setenv("JICHITAI_KG_SERVICE_ALLOWLIST", "http://a/sparql, http://b/sparql")
    monkeypatch.setenv("JICHITAI_KG_STORE_VERSION_CHECK", "off")
    monkeypatch.setenv("JICHITAI_KG_PUBLIC_BASE", "https://kg.example.org/x/")
    monkeypatch.setenv("JICHITAI_KG_QUERY_MEMORY_LIMIT", "0")
    s = load_settings()
    assert s["SERVICE_ALLOWLIST"] == ["http://a/sparql", "http://b/sparql"]
    assert s["STORE_VERSION_CHECK"] is False and s["QUERY_MEMORY_LIMIT"] == 0
    assert s["PUBLIC_BASE"] == "https://kg.example.org/x"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"QUERY_TIMEOUT": 0}, "QUERY_TIMEOUT must be positive, got 0.0"),
    ({"RESULT_MAX_AGE": -1}, "RESULT_MAX_AGE must be 0 or more, got -1"),
    ({"QUERY_WORKERS": "two"}, "QUERY_WORKERS must be a number, got 'two'"),
    ({"STORE_VERSION_CHECK": "maybe"}, "STORE_VERSION_CHECK must be true or false"),
    ({"REASONING_ENGINE": "fast"}, "REASONING_ENGINE must be one of owlrl, native, auto"),
    ({"EXTRA_GRAPHS": ["no-equals-sign"]}, "expected IRI=FILE"),
])
def test_bad_values_are_refused_with_the_setting_named(overrides, message):
    with pytest.raises(BadRequest) as info:
        load_settings(overrides)
    assert message in info.value.message


def test_a_misspelled_name_names_the_right_one_in_every_layer(monkeypatch, tmp_path):
    monkeypatch.setenv("JICHITAI_KG_QUERY_TIMOUT", "1")
    with pytest.raises(BadRequest) as info:
        load_settings()
    assert info.value.message == ("unknown setting JICHITAI_KG_QUERY_TIMOUT in the environment; "
                                  "did you mean QUERY_TIMEOUT?")
    monkeypatch.delenv("JICHITAI_KG_QUERY_TIMOUT")
    file = tmp_path / "settings.py"
    file.write_text("RESULT_CACHE_BYTE = 0\n")
    with pytest.raises(BadRequest, match="unknown setting RESULT_CACHE_BYTE in the config file .*"
                                         "did you mean RESULT_CACHE_BYTES"):
        load_settings(config_file=str(file))
    with pytest.raises(BadRequest, match="unknown setting EXTRA_GRAPH in the overrides; "
                                         "did you mean EXTRA_GRAPHS"):
        load_settings({"EXTRA_GRAPH": []})
    with pytest.raises(BadRequest, match="unknown setting ZZZ in the overrides; see"):
        load_settings({"ZZZ": 1})


def test_flask_keys_pass_through_and_the_list_is_complete():
    from flask import Flask

    assert set(Flask.default_config) <= config.FLASK_KEYS
    assert load_settings({"TESTING": True})["TESTING"] is True


def test_the_cli_prints_help_and_values_and_refuses_a_misspelling(monkeypatch, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help-settings"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "QUERY_TIMEOUT (default: 10.0; env JICHITAI_KG_QUERY_TIMEOUT)\n    seconds before" in out
    assert out.count("(default: ") == len(SETTINGS)
    monkeypatch.setenv("JICHITAI_KG_QUERY_TIMEOUT", "3")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "QUERY_TIMEOUT = 3.0\n" in out and 'REASONING_ENGINE = "auto"\n' in out
    monkeypatch.setenv("JICHITAI_KG_QUERY_TIMOUT", "1")
    assert main(["settings"]) == 2
    assert "did you mean QUERY_TIMEOUT?" in capsys.readouterr().err


def test_docs_settings_md_is_the_table(project_root):
    """docs/settings.md is generated (`make settings-doc`); run that after changing SETTINGS."""
    assert (project_root / "docs" / "settings.md").read_text(encoding="utf-8") == config.markdown_table()
    for s in SETTINGS:
        assert f"| `{s.name}` |" in config.markdown_table()


def test_null_from_the_environment(monkeypatch):
    """JSON null: an empty list for lists, unset for optional values, an error for a switch."""
    monkeypatch.setenv("JICHITAI_KG_SERVICE_ALLOWLIST", "null")
    monkeypatch.setenv("JICHITAI_KG_PUBLIC_BASE", "null")
    s = load_settings()
    assert s["SERVICE_ALLOWLIST"] == [] and s["PUBLIC_BASE"] is None
    monkeypatch.setenv("JICHITAI_KG_INFERENCE", "null")
    with pytest.raises(BadRequest, match="INFERENCE must be true or false, got None"):
        load_settings()
