"""The SPARQL parser's messages rewritten as one sentence: where, what it met, what would do.

pyoxigraph reports ``error at 1:28: expected one of Prefix not found, ['%'], ['-' | '0' ..=
'9' | …`` — the position of the parser's cursor and the grammar's alternatives, hundreds of
characters of Unicode ranges for an undeclared prefix.  :func:`explain` turns that into
``Unknown prefix `foo:` at 1:21 (line 1, column 21) — add `PREFIX foo: <…>` before the
query.``, with the line, column and offending token also as fields (the JSON error body
carries them; the workbench marks the token there).  The ``at L:C`` form stays in every
sentence, so a client reading only the text finds the position too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import QuerySyntaxError
from ...namespaces import PREFIXES

_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_PREFIXED_END = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%-]*$")
_TOKEN = re.compile(r"<[^>\s]*>?|\"[^\"]*\"?|'[^']*'?|[?$]?[\w:.-]+|\S")
#: Grammar alternatives worth showing (keywords and punctuation, not character classes).
_READABLE = re.compile(r'^(?:"[^"\\]{1,6}"|[A-Za-z][A-Za-z_]{0,20})$')
#: IRIs, strings and comments; linear in the text (possessive quantifiers, and a string left
#: open runs to the end of its line or of the text instead of failing after a long scan).
_MASK = re.compile(r"<[^<>\"{}|^`\\\s]*+>|\"\"\"(?:[^\"]++|\"(?!\"\"))*+(?:\"\"\"|\Z)"
                   r"|'\'\'(?:[^']++|'(?!''))*+(?:'\'\'|\Z)|\"(?:[^\"\\\n]++|\\.)*+\"?"
                   r"|'(?:[^'\\\n]++|\\.)*+'?|#[^\n]*+")
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
_PREFIXED = re.compile(r"(?<![\w?$:.@-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|[\s;,.)\]}]|$)")
_PROLOGUE = re.compile(r"(?is)(?:\s*(?:PREFIX\s+(?:[A-Za-z][\w.-]*)?:\s*|BASE\s*)\s*)*")
_WORD = re.compile(r"\s*(\S+?)(?=[\s{*?$(]|$)")
FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_IRI = re.compile(r"<[^>\n]*>?")
MAX_EXPECTED = 10


@dataclass(frozen=True)
class SyntaxProblem:
    """Where the query stops parsing (1-based line and column of the offending token)."""

    line: int
    column: int
    token: str
    sentence: str


def explain(query: str, parser_message: str) -> SyntaxProblem | None:
    """The sentence for a pyoxigraph parser message about ``query``; None when the message
    has no position (it is then passed on unchanged)."""
    match = _POSITION.search(parser_message)
    if not match:
        return None
    line_no, column = int(match.group(1)), int(match.group(2))
    detail = " ".join(match.group(3).split())
    lines = query.split("\n")
    text = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    before = text[:max(column - 1, 0)]
    prefixed = _PREFIXED_END.search(before) if "Prefix not found" in detail else None
    if prefixed:
        return _unknown_prefix(prefixed.group(1) or "", line_no, prefixed.start() + 1)
    # The parser may stumble later than an undeclared prefix (its furthest failure): name it.
    undeclared = undeclared_prefix(query)
    if undeclared:
        return _unknown_prefix(*undeclared)
    form = _unknown_form(query)
    if form:
        return form
    token_start, token = _token_at(text, column)
    if not token and line_no >= len(lines):
        found = "the end of the query"
    else:
        found = f"`{token}`" if token else "the end of the line"
    if "IRI parsing failed" in detail:
        iri_start = before.rfind("<")
        if iri_start >= 0:
            token_start = iri_start + 1
            token = _IRI.match(text, iri_start).group(0)  # type: ignore[union-attr]
            found = f"`{token}`"
        sentence = f"Invalid IRI {found} at {_where(line_no, token_start)}: an IRI has no spaces."
        return SyntaxProblem(line_no, token_start, token, sentence)
    expected = _expected(detail)
    sentence = f"Syntax error at {_where(line_no, token_start)}: found {found}"
    sentence += f"; expected {expected}." if expected else "."
    return SyntaxProblem(line_no, token_start, token, sentence)


def rewrite(error: QuerySyntaxError, query: str) -> QuerySyntaxError:
    """The same error with the sentence as its message and the position as fields."""
    problem = explain(query, error.message)
    if problem is None:
        return error
    return QuerySyntaxError(problem.sentence, line=problem.line, column=problem.column,
                            token=problem.token)


def _unknown_prefix(prefix: str, line: int, column: int) -> SyntaxProblem:
    iri = PREFIXES.get(prefix, "…")
    return SyntaxProblem(line, column, f"{prefix}:", (
        f"Unknown prefix `{prefix}:` at {_where(line, column)} — add "
        f"`PREFIX {prefix}: <{iri}>` before the query."))


def undeclared_prefix(query: str) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix no ``PREFIX`` declares: (prefix, line, column)."""
    masked = _MASK.sub(lambda m: " " * len(m.group(0)), query)  # IRIs, strings, comments
    declared = {m.group(1) or "" for m in _DECLARED.finditer(masked)}
    for match in _PREFIXED.finditer(masked):
        prefix = match.group(1) or ""
        if prefix not in declared:
            before = query[:match.start()]
            return prefix, before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
    return None


def _unknown_form(query: str) -> SyntaxProblem | None:
    """A query that does not begin (after PREFIX and BASE) with one of the four forms."""
    masked = _MASK.sub(lambda m: " " * len(m.group(0)), query)
    match = _PROLOGUE.match(masked)
    word = _WORD.match(masked, match.end() if match else 0)
    if not word or word.group(1).upper() in FORMS:
        return None
    before = query[:word.start(1)]
    line, column = before.count("\n") + 1, word.start(1) - (before.rfind("\n") + 1) + 1
    return SyntaxProblem(line, column, word.group(1), (
        f"Syntax error at {_where(line, column)}: found `{word.group(1)}`; a query begins with "
        "SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX and BASE lines)."))


def _where(line: int, column: int) -> str:
    return f"{line}:{column} (line {line}, column {column})"


def _token_at(text: str, column: int) -> tuple[int, str]:
    """The token at (or, past the line's end or on a space, just before) a 1-based column."""
    index = max(column - 1, 0)
    while index < len(text) and text[index].isspace():
        index += 1
    match = _TOKEN.match(text, index) if index < len(text) else None
    if match:
        return index + 1, match.group(0)[:40]
    return min(column, len(text) + 1), ""


def _expected(detail: str) -> str:
    body = detail.removeprefix("expected one of").removeprefix("expected").strip()
    parts = [p.strip() for p in re.split(r",\s*(?![^\[]*\])", body) if p.strip()]
    readable = [p for p in parts if _READABLE.match(p) and "not found" not in p]
    if not readable:
        return ""
    shown = readable[:MAX_EXPECTED]
    more = len(readable) - len(shown)
    words = ", ".join(f"`{p.strip(chr(34))}`" if p.startswith('"') else p for p in shown)
    if len(shown) == 1 and not more:
        return words
    return "one of " + words + (f" and {more} more" if more else "")
