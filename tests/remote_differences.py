"""The remote store's documented differences from embedded mode, and the check that they hold.

``make test-virtuoso`` (scripts/test-virtuoso.sh) sets ``JKG_REMOTE_KNOWN_DIFFERENCES`` to a
comma-separated list of names from ``KNOWN`` below; with the Oxigraph server (the default) the
list is empty and every answer must equal embedded mode's.  The tests treat exactly the listed
differences as expected: everything else must still be identical, and a listed difference that
no longer occurs fails the run (the list is then out of date and must be shortened).

Each name's reason is the row of the "Virtuoso 7.2 behaviour" table in docs/deployment.md.
"""

from __future__ import annotations

import os

import pytest

#: name -> why the store answers differently (see docs/deployment.md, "Virtuoso 7.2 behaviour").
KNOWN: dict[str, str] = {
    "cq:dedicated-units": "Virtuoso 7.2 loses solutions of a/rdfs:subClassOf* combined with other "
                          "path steps: rows are missing",
    "cq:leadership-bodies": "same property-path bug as cq:dedicated-units: rows are missing",
    "cq:external-expertise": "same property-path bug as cq:dedicated-units: rows are missing",
    "cq:government-profile": "same property-path bug as cq:dedicated-units: rows are missing; and "
                             "Virtuoso 7.2 double-encodes the UTF-8 of a stored string that CONCAT "
                             "joins with a constant of the query (Minato's initiatives' detail)",
    "cq:category-explanation": "Virtuoso 7.2 fails to compile the query (error SQ156): 500",
    "downloads:temporal-literals": "Virtuoso 7.2 stores xsd:gYear, xsd:gYearMonth and xsd:duration "
                                   "literals as other types, so the dumps written from it differ "
                                   "in those literals only",
    "void": "Virtuoso 7.2's REPLACE() refuses a pattern that can match the empty string (error "
            "22023), so /.well-known/void answers 500",
}

#: The datatypes whose literals Virtuoso does not keep (downloads:temporal-literals).
TEMPORAL_DATATYPES = tuple(f"^^<http://www.w3.org/2001/XMLSchema#{t}>"
                           for t in ("gYear", "gYearMonth", "duration"))


def expected_differences() -> frozenset[str]:
    """The names listed in JKG_REMOTE_KNOWN_DIFFERENCES; an unknown name is an error."""
    raw = os.environ.get("JKG_REMOTE_KNOWN_DIFFERENCES", "")
    names = frozenset(n.strip() for n in raw.split(",") if n.strip())
    unknown = sorted(names - KNOWN.keys())
    if unknown:
        pytest.fail(f"JKG_REMOTE_KNOWN_DIFFERENCES names {unknown}, which tests/remote_differences.py "
                    "does not document")
    return names


def expected_cq_differences() -> frozenset[str]:
    """The question ids (without ``cq:``) whose answers are expected to differ."""
    return frozenset(n.removeprefix("cq:") for n in expected_differences() if n.startswith("cq:"))


def is_expected(name: str) -> bool:
    return name in expected_differences()


#: The kinds of difference each listed question may show (see row_differences_kinds).
CQ_KINDS: dict[str, frozenset[str]] = {
    "dedicated-units": frozenset({"missing rows"}),
    "leadership-bodies": frozenset({"missing rows"}),
    "external-expertise": frozenset({"missing rows"}),
    "government-profile": frozenset({"missing rows", "mis-encoded text"}),
}


def repair_double_encoding(text: str) -> str:
    """Undo UTF-8 read as Latin-1 in parts of a string ("ã\x80\x8c" -> "「"); else unchanged."""
    raw = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode() for c in text)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def row_difference_kinds(only_local: list[tuple], only_remote: list[tuple]) -> set[str]:
    """How two sets of solutions differ: "missing rows" (the store lost some), "mis-encoded text"
    (a remote row equals a lost one once its strings are repaired), "other" (anything else)."""
    def repaired(row: tuple) -> tuple:
        return tuple(v if v is None or len(v) < 2 else (v[0], repair_double_encoding(v[1]), *v[2:])
                     for v in row)

    kinds = set()
    fixed = {repaired(r) for r in only_remote}
    if any(repaired(r) == r for r in only_remote) or not fixed <= set(only_local):
        kinds.add("other")
    if fixed & set(only_local):
        kinds.add("mis-encoded text")
    if set(only_local) - fixed:
        kinds.add("missing rows")
    return kinds
