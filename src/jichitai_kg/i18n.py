"""The message catalog: every interface string of the pages, in Japanese and English.

The strings live in Babel catalogs, ``translations/<lang>/LC_MESSAGES/messages.po``, one
per language, read once per process.  Message ids are keys ``<section>.<name>`` (``home.title``,
``cq.run``, ``ld.types``, ``void.lead``, ``sd.title``, ``base.ontology``) so the English text can
change without touching the code; tests/test_i18n.py checks both catalogs hold the same keys.

- Python: ``TEXT = Section("home")`` then ``TEXT[lang]["title"]``, or ``gettext("home.title", lang)``.
- Templates: a page's ``t`` is ``TEXT[lang]`` (``{{ t.title }}``); shared strings with
  ``{{ msg("base.ontology") }}`` (the page's ``lang``).
- Browser scripts: the page renders ``texts(lang, section)`` into
  ``<script type="application/json" id="jkg-strings">`` (templates/_strings.html; not executed,
  so the strict CSP allows it) and the script reads ``JSON.parse(el.textContent)``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

from babel.messages.pofile import read_po

LANGS = ("ja", "en")
TRANSLATIONS = Path(__file__).with_name("translations")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of one language: id → text (an unknown language is a KeyError)."""
    if lang not in LANGS:
        raise KeyError(lang)
    with po_path(lang).open("rb") as f:
        po = read_po(f, locale=lang)
    return {str(m.id): str(m.string) for m in po if m.id}


def gettext(key: str, lang: str) -> str:
    """One message; a key missing from the catalog is a KeyError (tests keep them complete)."""
    return catalog(lang)[key]


@functools.cache
def texts(lang: str, section: str) -> dict[str, str]:
    """The messages ``<section>.*`` of one language, keyed by the part after the dot."""
    prefix = section + "."
    return {k[len(prefix):]: v for k, v in catalog(lang).items() if k.startswith(prefix)}


class Section(Mapping[str, dict[str, str]]):
    """One page's strings per language: ``Section("home")["en"]["title"]``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        return texts(lang, self.name)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)
