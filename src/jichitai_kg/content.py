"""Where things are: the graph's content, the code's own SPARQL, and the store cache.

* Content (``ontology/``, ``data/``, ``queries/``) lives at the top of the repository and
  is copied into the wheel as ``jichitai_kg/_content/`` (see pyproject.toml).  A checkout
  (editable install) is used in place; ``ROOT`` points anywhere else.
* SPARQL the code owns ships inside the package (``jichitai_kg/sparql/*.rq``) and is read
  through :mod:`importlib.resources`.
* The cache sits in ``<ROOT>/.cache`` for a checkout (or any writable ROOT), else in the
  user's cache directory (``$XDG_CACHE_HOME/jichitai-kg`` or the platform's equivalent).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from importlib import resources
from pathlib import Path

from .errors import JKGError

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED_CONTENT = PACKAGE_DIR / "_content"
CHECKOUT = PACKAGE_DIR.parents[1]


def is_content_root(path: Path) -> bool:
    return all((Path(path) / d).is_dir() for d in ("ontology", "data"))


def default_root() -> Path:
    """The installed content (wheel) or, in an editable install, the checkout."""
    for candidate in (PACKAGED_CONTENT, CHECKOUT):
        if is_content_root(candidate):
            return candidate
    raise JKGError("No ontology/ and data/ found: neither in the installed package nor in a "
                   "checkout. Set ROOT (or --root) to a folder that holds them.")


def default_cache_dir(root: Path) -> Path:
    """``<root>/.cache`` for a checkout or a writable ROOT; the user's cache directory otherwise."""
    root = Path(root)
    if root != PACKAGED_CONTENT and os.access(root, os.W_OK):
        return root / ".cache"
    return user_cache_dir()


def user_cache_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jichitai-kg"


@functools.cache
def app_query(name: str) -> str:
    """The text of the package's ``sparql/<name>.rq``."""
    try:
        return resources.files("jichitai_kg").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JKGError(f"the package has no query sparql/{name}.rq") from None


def app_query_names(prefix: str) -> list[str]:
    """Names of the package's queries that start with ``prefix``, sorted."""
    folder = resources.files("jichitai_kg").joinpath("sparql")
    return sorted(f.name.removesuffix(".rq") for f in folder.iterdir()
                  if f.name.startswith(prefix) and f.name.endswith(".rq"))


def rq_header(text: str) -> tuple[dict[str, list[str]], str]:
    """The ``# key: value`` header of a ``.rq`` file (values per key, in order) and the query body.

    The header is the leading run of comment and blank lines; comment lines that are not
    ``key: value`` (prose, separators) are skipped.
    """
    fields: dict[str, list[str]] = {}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return fields, "\n".join(lines[index:]).strip() + "\n"
        m = _HEADER_LINE.match(stripped)
        if m:
            fields.setdefault(m["key"], []).append(m["value"].strip())
    return fields, ""


_HEADER_LINE = re.compile(r"^#\s*(?P<key>[A-Za-z][\w-]*(?:@[a-z]{2})?)\s*:\s*(?P<value>.*)$")
