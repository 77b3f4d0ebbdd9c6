"""``publish-site``: the linked-data site as static files any web server can host.

Every document is fetched from the app itself (its test client), so the static site says
exactly what the service says: each resource as HTML (Japanese and English), Turtle,
JSON-LD, N-Triples and RDF/XML; the ontology documentation; VoID; the service description
of the live endpoint; the dumps; the releases; the style sheets.  Links are rewritten for
the static site (``linked_data/site_links.py``); ``.htaccess`` negotiates (``linked_data/
site_rules.py``), and ``w3id/.htaccess`` is the redirect to submit to w3id.org.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..content import app_query
from ..errors import JKGError
from ..linked_data import site_links, site_rules
from ..namespaces import BASE
from ..query.execution.runner import plain
from ..releases import catalog as release_catalog
from .state import get_dataset

RDF_EXTENSIONS = ("ttl", "jsonld", "nt", "rdf")
LANGS = ("ja", "en")
#: The test client's origin: replaced by the live service in the service description.
LOCAL_ORIGIN = "http://localhost"


@dataclass
class SiteReport:
    root: Path
    resources: int = 0
    files: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    left_out: int = 0


def publish_site(app: Flask, target: Path | str, *, service: str, site: str | None = None,
                 sample: int | None = None, include: tuple[str, ...] = (), base_path: str = "/") -> SiteReport:
    """Write the site into ``target`` (emptied first if it holds an earlier site)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()) and not (target / ".htaccess").exists():
        raise JKGError(f"{target} is not empty and holds no earlier site; choose an empty folder.", status=400)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    service = service.rstrip("/")
    writer = _Writer(app, target, service)
    with app.app_context():
        everything = [r["resource"].removeprefix(BASE + "id/")
                      for r in plain(get_dataset(app).runner().select(app_query("publish-resources")))]
    chosen = sorted(set(_sample(everything, sample)) | (set(include) & set(everything)))
    writer.published = set(chosen)
    report = SiteReport(target, resources=len(chosen), left_out=len(everything) - len(chosen))
    for path in chosen:
        writer.document(f"/id/{path}")
        report.kinds[path.split("/")[0]] = report.kinds.get(path.split("/")[0], 0) + 1
    writer.document("/ontology")
    writer.void()
    writer.service_description()
    writer.save("/context.jsonld", "context.jsonld")
    writer.downloads()
    writer.releases()
    shutil.copytree(Path(app.static_folder or ""), target / "static")
    writer.index(chosen, report)
    (target / ".htaccess").write_text(site_rules.htaccess(service, base_path), encoding="utf-8")
    (target / "w3id").mkdir()
    (target / "w3id" / ".htaccess").write_text(site_rules.w3id_htaccess(site or "https://example.org/jichitai-kg",
                                                                         service), encoding="utf-8")
    report.files = sum(1 for p in target.rglob("*") if p.is_file())
    return report


def _sample(paths: list[str], sample: int | None) -> list[str]:
    if sample is None:
        return paths
    by_kind: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_kind[path.split("/")[0]].append(path)
    return sorted(p for kind in by_kind.values() for p in kind[:sample])


class _Writer:
    def __init__(self, app: Flask, target: Path, service: str):
        self.client = app.test_client()
        self.target = target
        self.service = service
        self.published: set[str] = set()

    def get(self, url: str, accept: str | None = None) -> bytes:
        resp = self.client.get(url, headers={"Accept": accept} if accept else {})
        if resp.status_code != 200:
            raise JKGError(f"publish-site: {url} answered {resp.status_code}: {resp.get_data(as_text=True)[:300]}")
        return resp.get_data()

    def write(self, relative: str, data: bytes) -> None:
        path = self.target / relative.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def save(self, url: str, relative: str, accept: str | None = None) -> None:
        self.write(relative, self.get(url, accept))

    def page(self, url: str, relative: str, lang: str, accept: str | None = None) -> None:
        text = self.get(url + ("&" if "?" in url else "?") + f"lang={lang}", accept).decode("utf-8")
        text = site_links.rewrite(text, lang=lang, published=self.published, service=self.service)
        self.write(relative, text.encode("utf-8"))

    def document(self, path: str) -> None:
        """``path``'s four RDF documents and its pages in both languages."""
        for ext in RDF_EXTENSIONS:
            self.save(f"{path}.{ext}", f"{path}.{ext}")
        for lang in LANGS:
            self.page(f"{path}.html", site_links.page_name(path, lang), lang)

    def void(self) -> None:
        for ext in RDF_EXTENSIONS:
            self.save(f"/.well-known/void.{ext}", f".well-known/void.{ext}")
        for lang in LANGS:
            self.page("/.well-known/void", site_links.page_name("/.well-known/void", lang), lang, "text/html")

    def service_description(self) -> None:
        """The live endpoint's description (the app describes itself; its origin is replaced)."""
        endpoint = f"{self.service}/sparql".encode()
        for ext, media_type in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                ("nt", "application/n-triples"), ("rdf", "application/rdf+xml")):
            self.write(f"sparql.{ext}", self.get("/sparql", media_type).replace(
                f"{LOCAL_ORIGIN}/sparql".encode(), endpoint))
        for lang in LANGS:
            text = self.get(f"/sparql?lang={lang}", "text/html").decode("utf-8")
            text = text.replace(f"{LOCAL_ORIGIN}/sparql", endpoint.decode())
            text = site_links.rewrite(text, lang=lang, published=self.published, service=self.service)
            self.write(site_links.page_name("/sparql", lang), text.encode("utf-8"))

    def downloads(self) -> None:
        for lang in LANGS:
            self.page("/download/", "download/index.html" if lang == "ja" else "download/index.en.html", lang)
        listing = self.get("/download/?lang=en").decode("utf-8")
        names = sorted(set(dump_names(listing)))
        for name in names:
            self.save(f"/download/{name}", f"download/{name}")

    def releases(self) -> None:
        app_root = Path(self.client.application.config["ROOT"])
        source = release_catalog.releases_dir(app_root)
        known = release_catalog.load(app_root)
        rows = []
        for release in reversed(known):
            folder = source / release.version
            for f in sorted(folder.iterdir()):
                self.write(f"v/{release.version}/{f.name}", f.read_bytes())
            rows.append(f'<tr><td>{html.escape(release.version)}</td><td>{html.escape(release.date)}</td>'
                        f'<td><a href="/v/{release.version}/{release_catalog.DUMP}">{release_catalog.DUMP}</a></td>'
                        f'<td><code>{release.content_hash}</code></td><td>+{release.added:,} −{release.removed:,}</td></tr>')
        for name in (release_catalog.CHANGELOG, release_catalog.DCAT, release_catalog.INDEX):
            if (source / name).exists():
                self.write(f"releases/{name}", (source / name).read_bytes())
        body = ("<table><tr><th>version</th><th>date</th><th>content</th><th>SHA-256</th><th>changes</th></tr>"
                + "".join(rows) + "</table>" if rows else "<p>No release yet.</p>")
        links = "".join(f'<li><a href="/releases/{n}">{n}</a></li>'
                        for n in (release_catalog.CHANGELOG, release_catalog.DCAT) if (source / n).exists())
        self.write("releases/index.html", _html("Releases · jichitai-kg", f"<h1>Releases</h1>{body}<ul>{links}</ul>"))

    def index(self, chosen: list[str], report: SiteReport) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in chosen:
            groups[path.split("/")[0]].append(path)
        parts = ["<h1>jichitai-kg</h1>",
                 '<ul><li><a href="/ontology.html">Ontology / オントロジー</a></li>'
                 '<li><a href="/.well-known/void.html">VoID</a></li>'
                 '<li><a href="/download/">Downloads / ダウンロード</a></li>'
                 '<li><a href="/releases/">Releases / リリース</a></li>'
                 '<li><a href="/sparql.html">SPARQL service description</a> — '
                 f'<a href="{html.escape(self.service)}/">{html.escape(self.service)}</a></li></ul>']
        if report.left_out:
            parts.append(f"<p>A sample of the resources: {report.resources} of "
                         f"{report.resources + report.left_out}; the others link to their w3id IRIs.</p>")
        for kind, paths in sorted(groups.items()):
            items = "".join(f'<li><a href="/id/{p}.html">{html.escape(p)}</a></li>' for p in paths)
            parts.append(f"<h2>{html.escape(kind)} ({len(paths)})</h2><ul>{items}</ul>")
        self.write("index.html", _html("jichitai-kg", "".join(parts)))


def dump_names(listing: str) -> list[str]:
    """The dump files the downloads page links (``/download/<name>``)."""
    return re.findall(r'href="/download/([^"/?#]+)"', listing)


def _html(title: str, body: str) -> bytes:
    return (f'<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<link rel="stylesheet" href="/static/style.css"></head><body><main>{body}</main></body></html>\n'
            ).encode()
