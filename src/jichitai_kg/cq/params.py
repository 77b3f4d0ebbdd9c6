"""Parameters of a competency question: validated against its header, bound as RDF terms.

A ``government`` value may be the IRI, the slug, the 団体コード (with or without check
digit, full-width digits too) or the Japanese name; concept and instance types take the
IRI or the local name.  The result is N-Triples terms for pyoxigraph's substitutions, so
a value can never change the query's text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..errors import ParameterError
from ..query.execution.runner import Runner, plain
from .catalog import (
    _ID,
    CONCEPT_TYPES,
    GOVERNMENTS_QUESTION,
    INSTANCE_TYPES,
    LANGUAGES,
    Catalog,
    Param,
    Question,
)

#: A free-text parameter (bound as a plain string literal) is at most this long.
MAX_TEXT = 50


@dataclass(frozen=True)
class Government:
    iri: str
    slug: str
    code: str | None
    label: str | None

    def describe(self) -> str:
        extra = ", ".join(x for x in (self.code, self.label) if x)
        return f"{self.slug} ({extra})" if extra else self.slug


class Governments:
    """The governments a ``government`` parameter accepts, by IRI, slug, 団体コード or name."""

    def __init__(self, governments: Iterable[Government]):
        self.items = list(governments)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Governments:
        seen: dict[str, Government] = {}
        for r in rows:
            if r.get("gov") and r["gov"] not in seen:
                seen[r["gov"]] = Government(r["gov"], r.get("slug") or r["gov"].rsplit("/", 1)[-1],
                                            r.get("dantaiCode"), r.get("govLabel"))
        return cls(seen.values())

    def valid_values(self) -> list[str]:
        return [g.describe() for g in self.items]

    def resolve(self, value: str) -> Government | None:
        v = _normalize(value)
        if not v:
            return None
        for g in self.items:
            if v == g.iri or v == f"<{g.iri}>" or v.lower() == g.slug.lower() or v == g.label:
                return g
            if g.code and v.isdigit() and (v == g.code or (len(v) == 5 and g.code.startswith(v))):
                return g  # the 5-digit form without the check digit is common too
            if v.lower() == f"gov:{g.slug}":
                return g
        return None


def _normalize(value: str) -> str:
    # Full-width digits and letters (１４０００７) are how codes are often typed in Japanese.
    return unicodedata.normalize("NFKC", value or "").strip()


@dataclass(frozen=True)
class Binding:
    """Terms for one run: N-Triples strings for the executor, plus what each value resolved to."""

    substitutions: dict[str, str]
    values: dict[str, str]
    lang: str


def check_lang(lang: str | None) -> str:
    lang = (lang or LANGUAGES[0]).strip().lower()
    if lang not in LANGUAGES:
        raise ParameterError(f"Unknown lang={lang!r}; valid values: {', '.join(LANGUAGES)}",
                             param="lang", valid=LANGUAGES)
    return lang


def bind(question: Question, raw: Mapping[str, str], *, lang: str | None = None,
         governments: Governments | Callable[[], Governments] | None = None) -> Binding:
    """Validate the given parameters against the header and turn them into RDF terms.

    ``governments`` may be a callable so the catalog only queries the store
    when the question actually takes a government.
    """
    lang = check_lang(lang)
    unknown = sorted(set(raw) - {p.name for p in question.params})
    if unknown:
        names = [p.name for p in question.params]
        raise ParameterError(
            f"{question.id} takes no parameter {', '.join(repr(u) for u in unknown)}; "
            + (f"valid parameters: {', '.join(names)}" if names else "it takes no parameters"),
            param=unknown[0], valid=names)
    # Only a query that uses ?lang may have it substituted (pyoxigraph needs it projected).
    subs = {"lang": _literal(lang)} if "?lang" in question.text else {}
    values = {}
    for p in question.params:
        value = raw.get(p.name)
        if value is None or not str(value).strip():
            if p.required:
                raise ParameterError(f"{question.id} needs the parameter {p.name!r} ({p.description})"
                                     + _valid_suffix(p, governments), param=p.name,
                                     valid=_valid(p, governments))
            continue
        if p.type == "text":
            subs[p.var] = _literal(_check_text(p, str(value).strip()))
            values[p.name] = str(value).strip()
            continue
        iri = _resolve(p, str(value), governments)
        subs[p.var] = f"<{iri}>"
        values[p.name] = iri
    return Binding(substitutions=subs, values=values, lang=lang)


def _resolve(p: Param, value: str, governments) -> str:
    if p.type == "government":
        govs = _governments(governments)
        found = govs.resolve(value)
        if found is None:
            raise ParameterError(f"Unknown government {p.name}={value!r}; valid values: "
                                 + "; ".join(govs.valid_values())
                                 + " (the IRI, the slug or the 団体コード)",
                                 param=p.name, valid=govs.valid_values())
        return found.iri
    namespace = CONCEPT_TYPES.get(p.type) or INSTANCE_TYPES[p.type]
    local = _normalize(value).strip("<>")
    if local.startswith(namespace):
        local = local[len(namespace):]
    elif local.startswith(p.type + ":"):
        local = local[len(p.type) + 1:]
    if p.type in INSTANCE_TYPES:
        if not _ID.match(local):
            raise ParameterError(f"{p.name}={value!r} is not a {p.type}: give its IRI "
                                 f"({namespace}…) or its local name (lower-case words joined "
                                 "by hyphens)", param=p.name)
        return namespace + local
    if local not in p.allowed:
        raise ParameterError(f"Unknown {p.type} {p.name}={value!r}; valid values: "
                             f"{', '.join(p.allowed)} (or the IRI {namespace}…)",
                             param=p.name, valid=p.allowed)
    return namespace + local


def _check_text(p: Param, value: str) -> str:
    if len(value) > MAX_TEXT or any(ord(ch) < 32 for ch in value):
        raise ParameterError(f"{p.name} must be one line of at most {MAX_TEXT} characters", param=p.name)
    return value


def _governments(governments) -> Governments:
    if governments is None:
        raise ParameterError("no government directory is available to resolve the parameter")
    return governments() if callable(governments) else governments


def _valid(p: Param, governments) -> list[str]:
    if p.type == "government":
        try:
            return _governments(governments).valid_values()
        except ParameterError:
            return []
    return list(p.allowed)


def _valid_suffix(p: Param, governments) -> str:
    valid = _valid(p, governments)
    return f"; valid values: {'; '.join(valid)}" if valid else ""


def _literal(value: str) -> str:
    """A plain string literal in N-Triples (values here come from LANGUAGES, but escape anyway)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def governments_from_runner(runner: Runner, catalog: Catalog, lang: str = "ja") -> Governments:
    """Ask the store which governments exist (the ``governments`` question), with their names
    in ``lang`` (rdfs:label; none where the data has no name in that language)."""
    question = catalog.get(GOVERNMENTS_QUESTION)
    return Governments.from_rows(plain(runner.select(question.text, lang=lang)))
