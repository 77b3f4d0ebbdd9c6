"""The competency-question catalog: ``queries/<id>.rq`` files with a metadata header.

Each file is the single source of a question: the web pages, the CLI and the
tests read title, question, parameters and result columns from its ``#``
header, so adding a question means adding one file, never editing Python.

Parameters reach the query only as RDF terms (pyoxigraph ``substitutions``),
so a value can never change the query's text.  pyoxigraph only substitutes
variables of the outer SELECT projection, which is why every query projects
``?lang`` and its parameter variables; :attr:`Question.columns` names the
contract columns, the parameter columns come after them.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .namespaces import (CATEGORY, FIGURE, INITIATIVE, KIND, PARTNER, PARTNERKIND, PHASE,
                         PLAN, POST, ROLE, UNIT)

log = logging.getLogger(__name__)

#: Languages labels can be asked for; the first is the default.
LANGUAGES = ("ja", "en")
#: The question the catalog runs to learn the governments (slug, 団体コード) it accepts.
GOVERNMENTS_QUESTION = "governments"
#: Header keys that may carry a language tag (``title@ja``).
LOCALIZED_KEYS = ("title", "question", "description")
#: Parameter types whose values are concepts of one namespace, named by the local name.
CONCEPT_TYPES = {
    "category": str(CATEGORY),
    "partner-kind": str(PARTNERKIND),
    "kind": str(KIND),
    "phase": str(PHASE),
    "role": str(ROLE),
}
#: Parameter types whose values are instances of one namespace (any well-formed local name).
INSTANCE_TYPES = {
    "initiative": str(INITIATIVE),
    "plan": str(PLAN),
    "unit": str(UNIT),
    "post": str(POST),
    "partner": str(PARTNER),
    "figure": str(FIGURE),
}
#: A free-text parameter (bound as a plain string literal) is at most this long.
MAX_TEXT = 50
PARAM_TYPES = ("government", "text", *CONCEPT_TYPES, *INSTANCE_TYPES)

_HEADER_LINE = re.compile(r"^#\s*(?P<key>[A-Za-z][\w-]*(?:@[a-z]{2})?)\s*:\s*(?P<value>.*)$")
_PARAM_NAME = re.compile(r"^(?P<name>[A-Za-z]\w*)(?:\s*\(\?(?P<var>[A-Za-z]\w*)\))?$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CatalogError(ValueError):
    """A query file whose header breaks the format of docs/conventions.md."""


class UnknownQuestion(LookupError):
    def __init__(self, qid: str, known: Iterable[str]):
        self.qid = qid
        self.known = sorted(known)
        super().__init__(f"No competency question {qid!r}. Known: {', '.join(self.known)}")


class ParameterError(ValueError):
    """A parameter value (or name) the question cannot accept; the message lists what it can."""

    def __init__(self, message: str, *, param: str | None = None, valid: Iterable[str] = ()):
        super().__init__(message)
        self.param = param
        self.valid = list(valid)


@dataclass(frozen=True)
class Param:
    name: str
    var: str
    type: str
    required: bool
    description: str
    allowed: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"name": self.name, "variable": self.var, "type": self.type,
                "required": self.required, "description": self.description,
                "allowed": list(self.allowed)}


@dataclass(frozen=True)
class Question:
    id: str
    path: Path
    text: str
    title: Mapping[str, str]
    question: Mapping[str, str]
    description: Mapping[str, str]
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    tags: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)

    def localized(self, key: str, lang: str) -> str:
        """The header value in ``lang``, falling back to English, then to any language."""
        values = getattr(self, key)
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def as_dict(self, lang: str = "ja") -> dict:
        return {
            "id": self.id,
            "title": dict(self.title),
            "question": dict(self.question),
            "description": dict(self.description),
            "label": self.localized("title", lang),
            "params": [p.as_dict() for p in self.params],
            "columns": list(self.columns),
            "tags": list(self.tags),
            "query": self.text,
        }


# --------------------------------------------------------------------------- parsing


def parse_question(text: str, path: Path | str) -> Question:
    """Read the header of one ``.rq`` file; raise CatalogError naming the file on any defect."""
    path = Path(path)
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header ends where the query begins
        m = _HEADER_LINE.match(stripped)
        if m:
            fields.setdefault(m["key"], []).append(m["value"].strip())

    def one(key: str, required: bool = True) -> str | None:
        values = fields.get(key, [])
        if len(values) > 1:
            raise CatalogError(f"{path}: header key {key!r} is given {len(values)} times")
        if not values:
            if required:
                raise CatalogError(f"{path}: header lacks '# {key}: …'")
            return None
        return values[0]

    qid = one("id")
    if qid != path.stem:
        raise CatalogError(f"{path}: '# id: {qid}' does not match the file name")
    if not _ID.match(qid):
        raise CatalogError(f"{path}: id {qid!r} must be lower-case words joined by hyphens")
    localized: dict[str, dict[str, str]] = {}
    for key in LOCALIZED_KEYS:
        values = {}
        for header_key in fields:
            base, _, lang = header_key.partition("@")
            if base == key:
                values[lang or "en"] = one(header_key)
        localized[key] = values
    for key in ("title", "question"):
        if not localized[key].get("en") or not localized[key].get("ja"):
            raise CatalogError(f"{path}: '# {key}:' and '# {key}@ja:' are both required")
    columns = tuple((one("columns") or "").split())
    if not columns:
        raise CatalogError(f"{path}: '# columns:' lists no result column")
    params = tuple(_parse_param(v, path) for v in fields.get("param", []))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise CatalogError(f"{path}: a parameter is declared twice")
    tags = tuple(t.strip() for t in (one("tags", required=False) or "").split(",") if t.strip())
    known = {"id", "columns", "param", "tags"} | {k for k in fields if k.partition("@")[0] in LOCALIZED_KEYS}
    extra = {k: v[0] for k, v in fields.items() if k not in known}
    return Question(id=qid, path=path, text=text, title=localized["title"],
                    question=localized["question"], description=localized["description"],
                    params=params, columns=columns, tags=tags, extra=extra)


def _parse_param(value: str, path: Path) -> Param:
    """``name[ (?var)] | type | required|optional | description or allowed values``."""
    parts = [p.strip() for p in value.split("|")]
    if len(parts) != 4:
        raise CatalogError(f"{path}: '# param: {value}' needs 4 fields separated by '|': "
                           "name | type | required or optional | allowed values")
    m = _PARAM_NAME.match(parts[0])
    if not m:
        raise CatalogError(f"{path}: bad parameter name {parts[0]!r}")
    ptype = parts[1]
    if ptype not in PARAM_TYPES:
        raise CatalogError(f"{path}: parameter {m['name']!r} has unknown type {ptype!r}; "
                           f"known: {', '.join(PARAM_TYPES)}")
    if parts[2] not in ("required", "optional"):
        raise CatalogError(f"{path}: parameter {m['name']!r} must be 'required' or 'optional'")
    allowed: tuple[str, ...] = ()
    if ptype in CONCEPT_TYPES:
        # For concept types the fourth field *is* the list of accepted local names.
        allowed = tuple(a.strip() for a in re.split(r"[,\s]+", parts[3].split("(")[0]) if a.strip())
        if not allowed:
            raise CatalogError(f"{path}: parameter {m['name']!r} lists no allowed value")
    return Param(name=m["name"], var=m["var"] or m["name"], type=ptype,
                 required=parts[2] == "required", description=parts[3], allowed=allowed)


class Catalog:
    """The questions of one ``queries/`` directory, in a stable order."""

    def __init__(self, questions: Iterable[Question], errors: Iterable[str] = ()):
        self._by_id = {q.id: q for q in sorted(questions, key=_sort_key)}
        #: Files left out because their header is broken (non-strict loading only).
        self.errors = list(errors)

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, qid: str) -> bool:
        return qid in self._by_id

    def ids(self) -> list[str]:
        return list(self._by_id)

    def get(self, qid: str) -> Question:
        try:
            return self._by_id[qid]
        except KeyError:
            raise UnknownQuestion(qid, self._by_id) from None


def _sort_key(q: Question) -> tuple:
    try:
        order = int(q.extra.get("order", ""))
    except ValueError:
        order = 10_000
    return (order, q.id)


def load_catalog(queries_dir: Path | str, *, strict: bool = True) -> Catalog:
    """Every ``queries/*.rq`` (not the ``checks/`` or ``app/`` sub-folders).

    The server and CLI load non-strictly: one broken file is logged and left
    out instead of taking the whole catalog down; the tests load strictly.
    """
    questions, errors = [], []
    for f in sorted(Path(queries_dir).glob("*.rq")):
        try:
            questions.append(parse_question(f.read_text(encoding="utf-8"), f))
        except CatalogError as exc:
            if strict:
                raise
            log.warning("competency question left out: %s", exc)
            errors.append(str(exc))
    return Catalog(questions, errors)


# --------------------------------------------------------------------------- parameters


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
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> "Governments":
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


# --------------------------------------------------------------------------- running

def governments_from_executor(executor, catalog: Catalog, *, dataset: Mapping | None = None
                              ) -> Governments:
    """Ask the store which governments exist (the ``governments`` question, labels in ja)."""
    from . import protocol

    question = catalog.get(GOVERNMENTS_QUESTION)
    outcome = executor.run(question.text, result_format=protocol.JSON_RESULTS,
                           substitutions={"lang": _literal("ja")}, **(dataset or {}))
    return Governments.from_rows(solution_rows(outcome.body))


def solution_rows(body: bytes) -> list[dict[str, str]]:
    """Plain values per row from SPARQL JSON results."""
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def run(executor, question: Question, binding: Binding, *, result_format: str,
        dataset: Mapping | None = None, timeout: float | None = None):
    """Run a bound question on the shared executor (same limits as ``/sparql``)."""
    return executor.run(question.text, result_format=result_format,
                        substitutions=binding.substitutions, timeout=timeout, **(dataset or {}))
