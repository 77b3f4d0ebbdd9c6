"""Normalization and highlighting: what makes Japanese and English match as the issue asks."""

from jichitai_kg.search.text import contains_word, highlight, normalize, normalize_with_map, terms


def test_width_case_and_accents_fold():
    assert normalize("ＲＰＡ") == "rpa"
    assert normalize("Telework") == "telework"
    assert normalize("Bōsō Café") == "boso cafe"


def test_katakana_folds_to_hiragana_but_voicing_stays():
    assert normalize("カマクラ") == "かまくら"
    assert normalize("ガ") != normalize("カ")
    assert normalize("ｶﾏｸﾗ") == "かまくら"  # half-width katakana


def test_every_normalized_character_maps_back_to_its_source():
    text = "ＲＰＡの導入"
    norm, origin = normalize_with_map(text)
    assert norm == "rpaの導入"
    assert origin == [0, 1, 2, 3, 4, 5]


def test_query_words():
    assert terms("  Promoting   telework ") == ["promoting", "telework"]
    assert terms("テレワークの推進") == ["てれわーくの推進"]


def test_latin_words_match_at_word_starts_japanese_anywhere():
    assert contains_word("introduction of rpa", "rpa")
    assert contains_word("rpaの導入", "rpa")
    assert contains_word("港区aiの年", "ai")
    assert not contains_word("said and maintained", "ai")
    assert contains_word(normalize("情報政策課"), normalize("政策課"))


def test_highlight_marks_the_source_characters_and_escapes():
    plain, html = highlight("<b>テレワーク</b>の推進", [normalize("テレワーク")])
    assert plain == "<b>テレワーク</b>の推進"
    assert html == "&lt;b&gt;<mark>テレワーク</mark>&lt;/b&gt;の推進"


def test_highlight_windows_long_text_around_the_match():
    text = "あ" * 100 + "RPA" + "い" * 100
    plain, html = highlight(text, ["rpa"], width=40)
    assert plain.startswith("…") and plain.endswith("…")
    assert "RPA" in plain and len(plain) == 42
    assert "<mark>RPA</mark>" in html
