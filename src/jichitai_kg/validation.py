"""Everything ``jichitai-kg validate`` checks, as plain data a curator can read.

Five layers, each answering a different mistake:

1. Turtle syntax — FILE:LINE, so the curator can jump to the error;
2. SHACL (``ontology/shapes/shapes.ttl``, pyshacl) — missing labels, government,
   category, provenance, mistyped dates and numbers, undescribed IRIs;
3. OWL-RL consistency — e.g. a resource in two disjoint classes, which only
   shows after reasoning (via :func:`reasoning.materialize`);
4. ``queries/checks/*-violation.rq`` — SPARQL checks in the OBO style: any
   row is a violation;
5. standard terms — every use of a property of a standard vocabulary (directly or through a
   ``jkg:`` sub-property) respects the ``rdfs:domain``/``rdfs:range`` that the standard's own
   ontology in ``ontology/imports/`` declares (:mod:`.reasoning.standard_terms`).

Layers 2–5 only run when every file parses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, SH

from . import reasoning
from .errors import BuildError, TurtleSyntaxError
from .namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .reasoning import standard_terms
from .store import Inputs, parse_file


@dataclass
class ShaclViolation:
    focus: str
    path: str | None
    message: str
    shape: str | None
    severity: str
    value: str | None = None

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.focus}{path}: {self.message}{value}"


@dataclass
class CheckResult:
    name: str
    path: Path
    columns: list[str]
    rows: list[list[str]]

    @property
    def passed(self) -> bool:
        return not self.rows


@dataclass
class ValidationReport:
    syntax_errors: list[TurtleSyntaxError] = field(default_factory=list)
    shacl: list[ShaclViolation] = field(default_factory=list)
    inconsistencies: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    standard_terms: list[standard_terms.Violation] = field(default_factory=list)
    standard_imports: int = 0  # how many standard ontologies the domain/range rules came from

    @property
    def ok(self) -> bool:
        return not (self.syntax_errors or self.shacl or self.inconsistencies
                    or any(not c.passed for c in self.checks) or self.standard_terms)


def check_syntax(files) -> tuple[dict[Path, list], list[TurtleSyntaxError]]:
    """Parse every file, collecting all syntax errors rather than stopping at the first."""
    parsed, errors = {}, []
    for f in files:
        try:
            parsed[Path(f)] = parse_file(f)
        except TurtleSyntaxError as exc:
            errors.append(exc)
    return parsed, errors


def _term(graph: Graph, node) -> str | None:
    if node is None:
        return None
    try:
        return node.n3(graph.namespace_manager)
    except Exception:  # a SHACL path expression (blank node) has no short form
        return str(node)


def _path_text(report: Graph, path) -> str | None:
    if path is None:
        return None
    alts = report.value(path, SH.alternativePath)
    if alts is not None:
        return " | ".join(_term(report, p) or "" for p in report.items(alts))
    return _term(report, path)


def _english(report: Graph, result) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    for m in messages:
        if getattr(m, "language", None) == "en":
            return str(m)
    return str(messages[0]) if messages else "violates a shape"


def run_shacl(data: Graph, shapes: Graph) -> list[ShaclViolation]:
    """Validate asserted data (with the ontology's subclass axioms for targets) against the shapes."""
    import pyshacl

    from .namespaces import bind_prefixes

    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True,
    )
    if conforms:
        return []
    bind_prefixes(report)
    report.bind("jkgsh", "https://w3id.org/jichitai-kg/shapes#")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        # a property shape is anonymous: name the node shape it belongs to
        shape = shapes.value(None, SH.property, shape) or shape
        out.append(ShaclViolation(
            focus=_term(report, report.value(result, SH.focusNode)) or "",
            path=_path_text(report, report.value(result, SH.resultPath)),
            message=_english(report, result),
            shape=_term(report, shape),
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            value=_term(report, report.value(result, SH.value)),
        ))
    return sorted(out, key=lambda v: (v.focus or "", v.path or "", v.message))


def load_checks(checks_dir: Path) -> list[Path]:
    return sorted(Path(checks_dir).glob("*-violation.rq"))


def run_check(store: ox.Store, path: Path) -> CheckResult:
    """Run one violation query over the union of the dataset's graphs."""
    results = store.query(Path(path).read_text(encoding="utf-8"), use_default_graph_as_union=True)
    if not isinstance(results, ox.QuerySolutions):
        raise BuildError(f"{path}: a violation check must be a SELECT query")
    columns = [v.value for v in results.variables]
    rows = [[(row[c].value if row[c] is not None else "") for c in columns] for row in results]
    return CheckResult(name=Path(path).name.removesuffix("-violation.rq"), path=Path(path),
                       columns=columns, rows=rows)


def dataset_store(ontology_quads, data_quads, inferred: Graph | None = None) -> ox.Store:
    """An in-memory store laid out like the served one (ontology / data / inferred graphs)."""
    store = ox.Store()
    for quads, g in ((ontology_quads, ONTOLOGY_GRAPH), (data_quads, DATA_GRAPH)):
        name = ox.NamedNode(str(g))
        store.extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in quads)
    if inferred is not None:
        store.extend(reasoning.triples_to_ox(inferred, ox.NamedNode(str(INFERRED_GRAPH))))
    return store


def validate(root: Path, *, engine: str = "auto", shapes_file: Path | None = None,
             checks_dir: Path | None = None) -> ValidationReport:
    """Run all four layers over the project at ``root``."""
    root = Path(root)
    inputs = Inputs.from_root(root)
    shapes_file = Path(shapes_file) if shapes_file else root / "ontology" / "shapes" / "shapes.ttl"
    checks_dir = Path(checks_dir) if checks_dir else root / "queries" / "checks"
    report = ValidationReport()

    imports = sorted(standard_terms.imports_dir(root).glob("*.ttl"))
    files = list(inputs.ontology_files) + list(inputs.data_files) + [shapes_file] + imports
    parsed, report.syntax_errors = check_syntax(files)
    if report.syntax_errors:
        return report

    ontology_quads = [q for f in inputs.ontology_files for q in parsed[Path(f)]]
    data_quads = [q for f in inputs.data_files for q in parsed[Path(f)]]
    ontology = reasoning.quads_to_graph(ontology_quads)
    data = reasoning.quads_to_graph(data_quads)

    asserted = Graph()
    for t in ontology:
        asserted.add(t)
    for t in data:
        asserted.add(t)
    report.shacl = run_shacl(asserted, reasoning.quads_to_graph(parsed[shapes_file]))

    result = reasoning.materialize(ontology, data, engine=engine)
    report.inconsistencies = result.inconsistencies

    store = dataset_store(ontology_quads, data_quads, result.inferred)
    report.checks = [run_check(store, f) for f in load_checks(checks_dir)]

    rules = ontology + reasoning.quads_to_graph([q for f in imports for q in parsed[f]])
    report.standard_terms = standard_terms.violations(rules, asserted)
    report.standard_imports = len(imports)
    return report


def format_report(report: ValidationReport) -> str:
    """Plain words, one problem per line, grouped by layer."""
    lines = []
    for e in report.syntax_errors:
        lines.append(f"SYNTAX {e.path}:{e.line}: {e.message}")
    for v in report.shacl:
        lines.append(f"SHACL {v}")
    for m in report.inconsistencies:
        lines.append(f"INCONSISTENT {m}")
    for c in report.checks:
        if c.passed:
            continue
        lines.append(f"CHECK {c.name}: {len(c.rows)} row(s) ({c.path.name})")
        lines.append("    " + " | ".join(c.columns))
        for row in c.rows:
            lines.append("    " + " | ".join(row))
    for misuse in report.standard_terms:
        lines.append(f"STANDARD {misuse}")
    return "\n".join(lines)
