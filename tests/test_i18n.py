"""The message catalog (i18n.py, translations/*.po): complete in both languages, and used."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from jichitai_kg import i18n

PACKAGE = Path(i18n.__file__).parent
#: Templates and modules whose strings come from the catalog (the browser scripts: see the last test).
CONVERTED_TEMPLATES = ("base.html", "index.html", "cq_list.html", "cq_question.html", "downloads.html",
                       "map.html", "ontology_doc.html", "resource.html", "service_description.html",
                       "void.html", "_values.html", "_strings.html", "search.html", "reconcile_preview.html")
CONVERTED_MODULES = ("web/home.py", "web/cq.py", "web/map.py", "linked_data/pages.py", "web/search.py",
                     "web/reconcile.py")
SECTION_OF = {"index.html": "home", "cq_list.html": "cq", "cq_question.html": "cq",
              "downloads.html": "ld", "ontology_doc.html": "ld", "resource.html": "ld",
              "_values.html": "ld", "void.html": "void", "map.html": "home",
              "search.html": "search", "reconcile_preview.html": "search"}
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_both_languages_have_the_same_keys_and_no_empty_message():
    ja, en = i18n.catalog("ja"), i18n.catalog("en")
    assert set(ja) == set(en), f"only ja: {set(ja) - set(en)}; only en: {set(en) - set(ja)}"
    assert len(ja) > 100
    assert [k for k in ja if not ja[k].strip() or not en[k].strip()] == []


def test_placeholders_agree_between_languages():
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    ja, en = i18n.catalog("ja"), i18n.catalog("en")
    assert [k for k in ja if fields(ja[k]) != fields(en[k])] == []


def test_sections_read_as_before():
    home = i18n.Section("home")
    assert home["ja"]["title"] == "自治体ICT推進ナレッジグラフ"
    assert home["en"]["title"] == "Local Government ICT Adoption Knowledge Graph"
    assert dict(home) == {"ja": home["ja"], "en": home["en"]}
    assert i18n.gettext("sd.role_inferred", "ja") == "推論"
    with pytest.raises(KeyError):
        home["fr"]


@pytest.mark.parametrize("name", CONVERTED_TEMPLATES)
def test_every_key_a_template_uses_exists(name):
    text = (PACKAGE / "templates" / name).read_text(encoding="utf-8")
    for key in re.findall(r"msg\('([a-z_.]+)'\)", text):
        assert key in i18n.catalog("en"), f"{name}: msg('{key}')"
    section = SECTION_OF.get(name)
    for key in set(re.findall(r"\bt\.([a-z_]+)", text)):
        assert section and key in i18n.texts("en", section), f"{name}: t.{key}"
    assert "msg('sd.role_' ~ role)" not in text or all(
        f"sd.role_{r}" in i18n.catalog("en") for r in ("ontology", "data", "inferred", "extra"))


@pytest.mark.parametrize("name", CONVERTED_TEMPLATES)
def test_no_interface_string_left_in_a_template(name):
    text = (PACKAGE / "templates" / name).read_text(encoding="utf-8")
    assert CJK.findall(text) == []
    # an inline language condition choosing between two texts (a language switch's 'en'/'ja' is fine)
    assert re.findall(r"if lang(?:\|default\('ja'\))? == '(?:ja|en)' else '(?!ja'|en')", text) == []
    assert "{% if lang ==" not in text


def _interface_literals(tree: ast.AST) -> list[str]:
    """String constants other than docstrings and regular expressions (which read the data)."""
    skip = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("compile", "match", "sub"):
            skip.update(id(a) for a in node.args)
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


@pytest.mark.parametrize("name", CONVERTED_MODULES)
def test_no_interface_string_left_in_a_module(name):
    text = (PACKAGE / name).read_text(encoding="utf-8")
    assert [s for s in _interface_literals(ast.parse(text)) if CJK.search(s)] == []
    assert re.findall(r"^(?:TEXT|PAGE_TEXT|TITLE) = \{", text, re.M) == []


def test_scripts_get_their_strings_from_the_catalog(app, client):
    from flask import render_template

    with app.test_request_context("/"):
        html = render_template("_strings.html", lang="en", strings_section="home")
    body = re.fullmatch(r'<script type="application/json" id="jkg-strings">(.*)</script>', html.strip())
    assert body and json.loads(body.group(1)) == i18n.texts("en", "home")
    for path in ("/?lang=en", "/cq/category-matrix?lang=en"):
        page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        found = re.search(r'<script type="application/json" id="jkg-strings">(.*?)</script>', page)
        assert found and json.loads(found.group(1)) == i18n.texts("en", "workbench"), path


def test_pages_render_from_the_catalog(client):
    page = client.get("/sparql?format=html&lang=en").get_data(as_text=True)
    assert "<h1>SPARQL 1.1 endpoint</h1>" in page and "default graph (union)" in page
    page = client.get("/sparql?format=html&lang=ja").get_data(as_text=True)
    assert "<h1>SPARQL 1.1 エンドポイント</h1>" in page and "<td>オントロジー</td>" in page
    assert ">オントロジー</a>" in page and "コード: MIT" in page  # base.html


def test_the_workbench_scripts_read_every_string_from_the_catalog():
    """static/workbench/i18n.js reads the page's jkg-strings JSON (the catalog's "workbench"
    section); every ``t.key`` the scripts use is in it, and no script keeps a Japanese string."""
    folder = PACKAGE / "static" / "workbench"
    assert 'getElementById("jkg-strings")' in (folder / "i18n.js").read_text(encoding="utf-8")
    catalog = i18n.texts("en", "workbench")
    for script in sorted(folder.glob("*.js")):
        text = script.read_text(encoding="utf-8")
        if 'from "./i18n.js"' not in text:
            continue
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
        assert [k for k in re.findall(r"\bt\.(\w+)", code) if k not in catalog] == [], script.name
        quoted = re.findall(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`", code)
        assert [q for q in quoted if KANA_KANJI.search(q)] == [], script.name  # (regular expressions may)
