"""Synthetic governments shaped exactly like the real ones.

Rather than inventing a statistical model of the graph, each synthetic
government is a renamed copy of one of the eight real government files (taken
round-robin), so the ratios of plans, units, posts, initiatives, figures and
categories per government are the real ones and every synthetic file passes
the project's validation.  Shared files (vocabularies, time, source) and the
ontology are copied once.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from jichitai_kg.namespaces import BASE, JKG, PARTNER, bind_prefixes

ID_BASE = BASE + "id/"
ROOT = Path(__file__).resolve().parents[1]


def check_digit(code5: str) -> str:
    """Check digit of a 全国地方公共団体コード (JIS X 0401/0402 rule)."""
    d = [int(c) for c in code5]
    s = 6 * d[0] + 5 * d[1] + 4 * d[2] + 3 * d[3] + 2 * d[4]
    return str((11 - s % 11) % 10)


def synthetic_code(n: int) -> str:
    code5 = f"{90000 + n:05d}" if n < 10000 else f"{n:05d}"[-5:]
    return code5 + check_digit(code5)


def _templates(root: Path) -> list[tuple[str, Graph]]:
    out = []
    for f in sorted((root / "data" / "gov").glob("*.ttl")):
        g = Graph()
        g.parse(f, format="turtle")
        out.append((f.stem, g))
    if not out:
        raise SystemExit(f"no government files under {root / 'data' / 'gov'}")
    return out


FOOTNOTE = ID_BASE + "source/footnote-"


def _renamer(slug: str, new: str, described: set):
    def rename(term):
        if isinstance(term, URIRef) and term.startswith(ID_BASE):
            rest = term[len(ID_BASE):]
            kind, _, local = rest.partition("/")
            if local == slug or local.startswith(slug + "-"):
                return URIRef(f"{ID_BASE}{kind}/{new}{local[len(slug):]}")
            if term.startswith(str(PARTNER)) and term in described:  # shared partners keep their IRI
                return URIRef(f"{term}-{new}")
            if term.startswith(FOOTNOTE):  # footnotes belong to one government: each clone gets its own
                return URIRef(f"{ID_BASE}source/{new}-{term[len(ID_BASE) + 7:]}")
        return term
    return rename


def clone(slug: str, template: Graph, n: int, source: Graph) -> Graph:
    """One synthetic government: the template with every government-owned IRI renamed."""
    new = f"synth{n:05d}"
    rename = _renamer(slug, new, set(template.subjects()))
    gov = URIRef(f"{ID_BASE}gov/{new}")
    g = bind_prefixes(Graph())
    footnotes = set()
    for s, p, o in template:
        s2, o2 = rename(s), rename(o)
        if s2 == gov and p == JKG.dantaiCode:
            o2 = Literal(synthetic_code(n))
        elif s2 == gov and p == JKG.order:
            o2 = Literal(n + 1)
        for term in (s, o):
            if isinstance(term, URIRef) and term.startswith(FOOTNOTE):
                footnotes.add(term)
        g.add((s2, p, o2))
    for f in footnotes:
        for _, p, o in source.triples((f, None, None)):
            g.add((rename(f), p, gov if p == JKG.government else o))
    return g


def generate(n_governments: int, out_dir: Path, root: Path = ROOT) -> Path:
    """Write a project tree (ontology/, data/, queries/) with ``n_governments`` governments."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "data" / "gov").mkdir(parents=True)
    shutil.copytree(root / "ontology", out_dir / "ontology")
    shutil.copytree(root / "queries", out_dir / "queries")
    for f in (root / "data").glob("*.ttl"):
        shutil.copy(f, out_dir / "data" / f.name)
    for shared in ("vocab", "shared", "register"):  # shared by every government, never cloned
        shutil.copytree(root / "data" / shared, out_dir / "data" / shared)
    templates = _templates(root)
    source = Graph().parse(root / "data" / "source.ttl", format="turtle")
    for n in range(n_governments):
        if n < len(templates):
            slug, _ = templates[n]
            shutil.copy(root / "data" / "gov" / f"{slug}.ttl", out_dir / "data" / "gov" / f"{slug}.ttl")
            continue
        slug, template = templates[n % len(templates)]
        clone(slug, template, n, source).serialize(out_dir / "data" / "gov" / f"synth{n:05d}.ttl", format="turtle")
    return out_dir


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("governments", type=int)
    ap.add_argument("out_dir", type=Path)
    args = ap.parse_args(argv)
    generate(args.governments, args.out_dir)
    print(f"wrote {args.governments} governments to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
