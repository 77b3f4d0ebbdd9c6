"""What changed between two releases: the RDF diff per graph and a summary per government.

Both sides are canonical N-Quads lines (``content.canonical_lines``), so the diff is a set
difference of lines.  A changed quad counts for every local government it is about: its
subject or object is the government's IRI, or its subject links to the government directly
(an initiative's ``jkg:government``, a post's ``org:unitOf`` chain start…).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import OWN, WELL_KNOWN, compact

GOV_PREFIX = OWN["GOV"]
LABEL = WELL_KNOWN["RDFS"] + "label"
#: Quads listed one by one in the changelog, per graph and direction; the rest are counted.
LISTED = 20


@dataclass
class Diff:
    added: list[str]
    removed: list[str]
    by_graph: dict[str, tuple[int, int]] = field(default_factory=dict)  # graph → (added, removed)
    by_government: dict[str, dict] = field(default_factory=dict)  # IRI → label, added, removed, subjects


def graph_iri(q: ox.Quad) -> str:
    return q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else str(q.graph_name)


def _quads(lines: list[str]) -> list[ox.Quad]:
    return list(ox.parse(("\n".join(lines) + "\n").encode("utf-8"), ox.RdfFormat.N_QUADS)) if lines else []


def compute(old: list[str], new: list[str]) -> Diff:
    old_set, new_set = set(old), set(new)
    added = sorted(new_set - old_set)
    removed = sorted(old_set - new_set)
    diff = Diff(added, removed)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    added_quads, removed_quads = _quads(added), _quads(removed)
    for index, quads in ((0, added_quads), (1, removed_quads)):
        for q in quads:
            counts[graph_iri(q)][index] += 1
    diff.by_graph = {g: (a, r) for g, (a, r) in sorted(counts.items())}
    if not added and not removed:
        return diff
    links, labels = _government_links(_quads(sorted(old_set | new_set)))
    summary: dict[str, dict] = {}
    for index, quads in ((0, added_quads), (1, removed_quads)):
        for q in quads:
            for gov in _governments_of(q, links):
                entry = summary.setdefault(gov, {"label": labels.get(gov, gov), "added": 0, "removed": 0,
                                                 "subjects": Counter()})
                entry["added" if index == 0 else "removed"] += 1
                if isinstance(q.subject, ox.NamedNode):
                    entry["subjects"][q.subject.value] += 1
    diff.by_government = dict(sorted(summary.items(), key=lambda kv: kv[1]["label"]))
    return diff


def _government_links(quads: list[ox.Quad]) -> tuple[dict[str, set[str]], dict[str, str]]:
    links: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for q in quads:
        s, o = q.subject, q.object
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and o.value.startswith(GOV_PREFIX):
            links[s.value].add(o.value)
        if (isinstance(s, ox.NamedNode) and s.value.startswith(GOV_PREFIX) and q.predicate.value == LABEL
                and isinstance(o, ox.Literal) and o.language == "ja"):
            labels[s.value] = o.value
    return links, labels


def _governments_of(q: ox.Quad, links: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for term in (q.subject, q.object):
        if isinstance(term, ox.NamedNode) and term.value.startswith(GOV_PREFIX):
            found.add(term.value)
    if isinstance(q.subject, ox.NamedNode):
        found |= links.get(q.subject.value, set())
    return found


def changelog_section(version: str, previous: str | None, date: str, totals: dict[str, int],
                      diff: Diff | None) -> str:
    """The changelog's part for one release, in Markdown."""
    lines = [f"## {version} — {date}", ""]
    total = sum(totals.values())
    if previous is None or diff is None:
        lines += [f"First release: {total:,} quads in {len(totals)} graphs.", ""]
        lines += ["| graph | quads |", "|---|---|"]
        lines += [f"| <{g}> | {n:,} |" for g, n in sorted(totals.items())]
        return "\n".join(lines) + "\n"
    lines += [f"Since {previous}: {len(diff.added):,} quads added, {len(diff.removed):,} removed "
              f"({total:,} quads now).", "", "| graph | added | removed | quads now |", "|---|---|---|---|"]
    for graph in sorted(set(diff.by_graph) | set(totals)):
        a, r = diff.by_graph.get(graph, (0, 0))
        if a or r:
            lines.append(f"| <{graph}> | {a:,} | {r:,} | {totals.get(graph, 0):,} |")
    if diff.by_government:
        lines += ["", "By local government:", ""]
        for iri, entry in diff.by_government.items():
            subjects = ", ".join(compact(s) or s for s, _ in entry["subjects"].most_common(5))
            more = len(entry["subjects"]) - 5
            lines.append(f"- {entry['label']} (`{compact(iri) or iri}`): +{entry['added']} −{entry['removed']}"
                         + (f"; resources: {subjects}" + (f" and {more} more" if more > 0 else "") if subjects else ""))
    for sign, quads in (("+", diff.added), ("−", diff.removed)):
        if quads:
            lines += ["", "```diff" if sign == "+" else "```diff"]
            lines += [("+ " if sign == "+" else "- ") + q for q in quads[:LISTED]]
            if len(quads) > LISTED:
                lines.append(f"{sign} … {len(quads) - LISTED:,} more in {version}/"
                             + ("added.nq.gz" if sign == "+" else "removed.nq.gz"))
            lines.append("```")
    return "\n".join(lines) + "\n"
