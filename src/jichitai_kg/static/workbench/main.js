// The workbench page: editor, run, result views, permalink, history, citation, downloads.
import { createEditor } from "./editor.js";
import { renderTable } from "./table.js";
import { VIEWS, parseViewSpec } from "./charts.js";
import { renderGraph } from "./graph.js";
import { labelsFromResult, parseNTriples } from "./terms.js";
import { loadHistory, permalink, readLocation, recordRun, remember } from "./history.js";
import { canonicalJSON, citation, sha256Hex } from "./cite.js";
import { lang, t } from "./i18n.js";

const config = JSON.parse(document.getElementById("jkg-config").textContent);
const $ = (id) => document.getElementById(id);
const form = $("query-form"), textarea = $("query"), infer = $("infer"), results = $("results");
const status = $("status"), viewNav = $("views");
let current = null; // {kind: "select"|"graph"|"boolean", vars, rows, raw, json}
let currentView = "table";
let currentSpec = { view: "table" };
let terms = [];
const termLabels = new Map();

const editor = createEditor(textarea, { onRun: () => run(), prefixes: config.prefixes, lang, getTerms: () => terms });

function loadTerms() {
  // The query text comes with the page (src/jichitai_kg/sparql/workbench-terms.rq).
  fetch(config.endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/sparql-results+json" }, body: new URLSearchParams({ query: config.termsQuery, infer: "false" }) })
    .then((r) => r.json()).then((data) => {
      terms = data.results.bindings.map((b) => ({ iri: b.term.value, kind: b.kind.value,
        ja: b.labelJa && b.labelJa.value, en: b.labelEn && b.labelEn.value }));
      for (const term of terms) {
        const label = (lang === "en" ? term.en : term.ja) || term.ja || term.en;
        if (label) termLabels.set(term.iri, label);
      }
    }).catch(() => { terms = []; });
}

function specString(spec) {
  return Object.entries(spec).map(([k, v]) => (k === "view" ? v : `${k}=${v}`)).join(" ");
}

function setView(name, spec) {
  currentView = name;
  currentSpec = spec && spec.view === name ? spec : { view: name };
  viewNav.querySelectorAll("button").forEach((b) => b.classList.toggle("active", b.dataset.view === name));
  draw();
}

function draw() {
  results.replaceChildren();
  if (!current) return;
  if (current.kind === "boolean") {
    const p = document.createElement("p");
    p.className = "ask-answer";
    p.textContent = current.value ? t.yes : t.no;
    p.dataset.value = String(current.value);
    results.appendChild(p);
    return;
  }
  if (currentView === "raw") {
    const pre = document.createElement("pre");
    pre.className = "raw";
    pre.textContent = current.raw;
    results.appendChild(pre);
    return;
  }
  const labels = new Map([...termLabels, ...labelsFromResult(current.vars, current.rows)]);
  const render = VIEWS[currentView];
  if (render && current.kind === "select") render(results, current.vars, current.rows, config, currentSpec);
  else if (currentView === "graph" && current.kind === "graph") renderGraph(results, current.vars, current.rows, config);
  else renderTable(results, current.vars, current.rows, config, labels);
}

function showError(code, text) {
  current = null;
  results.replaceChildren();
  const pre = document.createElement("pre");
  pre.className = "error";
  pre.setAttribute("role", "alert");
  pre.textContent = text;
  results.appendChild(pre);
  status.textContent = `${t.error} ${code}`;
  if (code === 400) editor.markError(text);
}

async function cite(json) {
  const time = new Date().toISOString();
  const digest = json ? await sha256Hex(canonicalJSON(json)) : null;
  const c = citation({ version: config.datasetVersion, query: editor.value, time, digest, url: window.location.href });
  $("cite-version").textContent = config.datasetVersion || "—";
  $("cite-time").textContent = time;
  $("cite-digest").textContent = digest || t.unavailable;
  $("cite-text").textContent = c.text;
  $("cite-bibtex").textContent = c.bibtex;
  $("cite-csl").textContent = c.csl;
}

function refreshHistory(items) {
  const select = $("history");
  const first = document.createElement("option");
  first.value = "";
  first.textContent = items.length ? `${t.history} (${items.length})` : t.historyEmpty;
  select.replaceChildren(first, ...items.map((item, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = item.time.slice(0, 16).replace("T", " ") + "  " + item.query.replace(/\s+/g, " ").slice(0, 60);
    return o;
  }));
}

async function run(event) {
  if (event) event.preventDefault();
  editor.clearErrors();
  status.textContent = t.running;
  const started = performance.now();
  const body = new URLSearchParams({ query: editor.value });
  if (!infer.checked) body.set("infer", "false");
  let resp, text;
  try {
    resp = await fetch(config.endpoint, { method: "POST", body, headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json, application/n-triples;q=0.9" } });
    text = await resp.text();
  } catch (err) {
    showError("", String(err));
    return;
  }
  const ms = Math.round(performance.now() - started);
  const url = recordRun({ query: editor.value, view: specString(currentSpec), infer: infer.checked, lang });
  $("permalink").value = url;
  refreshHistory(remember(editor.value, specString(currentSpec)));
  if (!resp.ok) { showError(resp.status, text); return; }
  const type = resp.headers.get("Content-Type") || "";
  let json = null;
  if (type.includes("json")) {
    json = JSON.parse(text);
    if (typeof json.boolean === "boolean") current = { kind: "boolean", value: json.boolean, raw: text };
    else current = { kind: "select", vars: json.head.vars, rows: json.results.bindings, raw: JSON.stringify(json, null, 2) };
  } else {
    const rows = parseNTriples(text);
    current = { kind: "graph", vars: ["subject", "predicate", "object"], rows, raw: text };
  }
  const count = current.kind === "boolean" ? "" : `${current.rows.length} ${current.kind === "graph" ? t.triples : t.rows} · `;
  const countSpan = document.createElement("span");
  countSpan.id = "row-count";
  countSpan.textContent = count;
  const timing = document.createElement("span");
  timing.id = "timing";
  timing.textContent = `${ms} ${t.ms}`;
  status.replaceChildren(countSpan, timing);
  draw();
  showDownloads(current.kind === "graph" ? "graph" : "solutions");
  cite(json || { text });
}

function showDownloads(kind) {
  document.querySelectorAll("a.dl").forEach((a) => { a.hidden = a.dataset.kind !== kind; });
}

function downloadUrl(format, bom) {
  const p = new URLSearchParams({ query: editor.value, format });
  if (!infer.checked) p.set("infer", "false");
  if (bom) p.set("bom", "1");
  return config.endpoint + "?" + p.toString();
}

document.querySelectorAll("a.dl").forEach((a) => {
  const update = () => { a.href = downloadUrl(a.dataset.format, a.dataset.bom === "1"); };
  a.addEventListener("mousedown", update);
  a.addEventListener("focus", update);
  a.addEventListener("click", update);
});
viewNav.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
  setView(b.dataset.view);
  if (current) recordRun({ query: editor.value, view: specString(currentSpec), infer: infer.checked, lang });
  $("permalink").value = window.location.href;
}));
$("examples").addEventListener("change", (e) => {
  const ex = config.examples.find((x) => x.id === e.target.value);
  if (ex) editor.value = ex.query;
});
$("questions").addEventListener("change", (e) => {
  const q = config.questions.find((x) => x.id === e.target.value);
  if (q) { editor.value = q.query; const spec = parseViewSpec(q.view || "table"); setView(spec.view, spec); }
});
$("history").addEventListener("change", (e) => {
  const item = loadHistory()[Number(e.target.value)];
  if (item) { editor.value = item.query; const spec = parseViewSpec(item.view || "table"); setView(spec.view, spec); }
});
form.addEventListener("submit", run);
window.addEventListener("popstate", () => { const s = readLocation(); if (s.query) { editor.value = s.query; run(); } });

refreshHistory(loadHistory());
loadTerms();
const start = readLocation();
infer.checked = start.query ? start.infer : config.inferDefault;
const startSpec = parseViewSpec(start.view || "table");
if (["table", "bar", "heatmap", "timeline", "graph", "raw"].includes(startSpec.view)) setView(startSpec.view, startSpec);
else setView("table");
$("permalink").value = permalink({ query: editor.value, view: specString(currentSpec), infer: infer.checked, lang });
if (start.query) run();
