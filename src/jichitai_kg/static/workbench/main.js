// The workbench page: editor, run, result views, permalink, history, citation, downloads.
import { createEditor, readError } from "./editor.js";
import { renderTable } from "./table.js";
import { VIEWS, parseViewSpec } from "./charts.js";
import { renderGraph } from "./graph.js";
import { labelsFromResult, parseNTriples } from "./terms.js";
import { loadHistory, permalink, readLocation, recordRun, remember } from "./history.js";
import { canonicalJSON, citation, sha256Hex } from "./cite.js";
import { lang, t } from "./i18n.js";
import { Runner } from "./run.js";
import { VOCAB_LABELS } from "./vocab-labels.js";
import { missingParams, renderParams } from "./params.js";

const config = JSON.parse(document.getElementById("jkg-config").textContent);
const $ = (id) => document.getElementById(id);
const form = $("query-form"), textarea = $("query"), infer = $("infer"), results = $("results");
const status = $("status"), viewNav = $("views");
//: Characters of the Text view drawn at most (the downloads give the whole answer).
const RAW_LIMIT = 200000;
let current = null; // {kind: "select"|"graph"|"boolean", vars, rows, raw, json}
// The state of the result on screen (query or question and parameters, view, inference,
// language, data version): the permalink and the citation are made from it and nothing else.
let shown = null;
let question = null; // the picked competency question, while the editor holds its text
let readParams = () => ({});
const runButton = $("run");
const runner = new Runner({ cancelBase: config.cancelBase, onChange: (running) => {
  runButton.textContent = running ? t.stop : t.run;
  runButton.classList.toggle("stop", running);
  runButton.setAttribute("aria-pressed", String(running));
} });
let currentView = "table";
let currentSpec = { view: "table" };
let terms = [];
const termLabels = new Map();

const editor = createEditor(textarea, { onRun: () => run(), label: t.editorLabel, onChange: () => scheduleCheck(), prefixes: config.prefixes, lang, getTerms: () => terms });

function loadTerms() {
  // The query text comes with the page (src/jichitai_kg/sparql/workbench-terms.rq).
  fetch(config.endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/sparql-results+json" }, body: new URLSearchParams({ query: config.termsQuery, infer: "false" }) })
    .then((r) => r.json()).then((data) => {
      terms = data.results.bindings.map((b) => {
        const own = VOCAB_LABELS[b.term.value] || [];
        return { iri: b.term.value, kind: b.kind.value,
          ja: (b.labelJa && b.labelJa.value) || own[0], en: (b.labelEn && b.labelEn.value) || own[1] };
      });
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
    if (current.raw.length > RAW_LIMIT) { // a multi-megabyte <pre> freezes the page: show the start
      const note = document.createElement("p");
      note.className = "capped-note";
      note.setAttribute("role", "note");
      note.textContent = t.rawCapped.replace("{shown}", RAW_LIMIT.toLocaleString()).replace("{all}", current.raw.length.toLocaleString());
      results.appendChild(note);
    }
    const pre = document.createElement("pre");
    pre.className = "raw";
    pre.tabIndex = 0; // keyboard users can scroll it
    pre.textContent = current.raw.length > RAW_LIMIT ? current.raw.slice(0, RAW_LIMIT) + "\n…" : current.raw;
    results.appendChild(pre);
    return;
  }
  const labels = new Map([...termLabels, ...labelsFromResult(current.vars, current.rows)]);
  const render = VIEWS[currentView];
  if (render && current.kind === "select") render(results, current.vars, current.rows, config, currentSpec);
  else if (currentView === "graph" && current.kind === "graph") renderGraph(results, current.vars, current.rows, config);
  else renderTable(results, current.vars, current.rows, config, labels);
}

// Checked as you type: 600 ms after the last change the server parses the text (POST /check,
// nothing runs) and the editor marks the token the parser stopped at.
let checkTimer = null, checkSeq = 0;
function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkNow, 600);
}

async function checkNow() {
  const seq = ++checkSeq, text = editor.value, line = $("syntax-status");
  if (!text.trim()) { editor.clearErrors(); line.textContent = ""; return; }
  let resp, body;
  try {
    resp = await fetch(config.checkUrl, { method: "POST", body: new URLSearchParams({ query: text }),
      headers: { Accept: "application/json" } });
    body = await resp.text();
  } catch (e) {
    return; // offline or stopped: the run will say what is wrong
  }
  if (seq !== checkSeq || editor.value !== text) return; // the text changed meanwhile
  if (resp.ok) {
    editor.clearErrors();
    line.textContent = t.syntaxOk;
    line.className = "syntax-status ok";
    return;
  }
  const err = readError(body);
  editor.markError(err.message, err);
  line.textContent = `${t.syntaxError}: ${err.message}`;
  line.className = "syntax-status error";
}

function showError(code, text) {
  current = null;
  results.replaceChildren();
  const err = readError(text);
  text = err.message;
  const pre = document.createElement("pre");
  pre.className = "error";
  pre.tabIndex = 0;
  pre.setAttribute("role", "alert");
  pre.textContent = text;
  results.appendChild(pre);
  status.textContent = `${t.error} ${code}`;
  if (code === 400) editor.markError(text, err);
}

async function cite(json, state) {
  const time = new Date().toISOString();
  const digest = json ? await sha256Hex(canonicalJSON(json)) : null;
  if (state !== shown) return; // a newer result is on screen already
  const c = citation({ version: config.datasetVersion, query: state.query, time, digest, url: permalink(state) });
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

/** The state a Run would show: the editor's text, the picked question (if the text is still
 * its own) with its parameters, the view, inference and language. */
function pendingState() {
  const q = question && editor.value.trim() === question.query.trim() ? question : null;
  return { query: editor.value, question: q ? q.id : null, params: q ? readParams() : {},
    view: specString(currentSpec), infer: infer.checked, lang, version: config.datasetVersion };
}

function requestFor(state) {
  const headers = { Accept: "application/sparql-results+json, application/n-triples;q=0.9" };
  if (state.question) {
    const p = new URLSearchParams({ ...state.params, lang, format: "json" });
    if (!state.infer) p.set("infer", "false");
    return [config.cqBase + encodeURIComponent(state.question) + "?" + p.toString(), { method: "GET", headers }];
  }
  const body = new URLSearchParams({ query: state.query });
  if (!state.infer) body.set("infer", "false");
  return [config.endpoint, { method: "POST", body, headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" } }];
}

async function run(event) {
  if (event) event.preventDefault();
  editor.clearErrors();
  const state = pendingState();
  if (state.question) {
    const missing = missingParams(question, state.params);
    if (missing.length) { status.textContent = `${t.missing}: ${missing.join(", ")}`; return; }
  }
  status.textContent = t.running;
  const started = performance.now();
  let answer;
  try {
    answer = await runner.start(...requestFor(state));
  } catch (err) {
    showError("", String(err));
    return;
  }
  if (answer === null) return; // stopped, or overtaken by a newer run: never shown
  const { resp, text } = answer;
  const ms = Math.round(performance.now() - started);
  shown = state;
  recordRun(state);
  $("permalink").value = permalink(state);
  $("short-permalink").value = "";
  refreshHistory(remember(state.query, state.view, state.question, state.params));
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
  cite(json || { text }, state);
}

function stopRun() {
  if (runner.stop()) status.textContent = t.stopped;
}

function showDownloads(kind) {
  document.querySelectorAll("a.dl").forEach((a) => { a.hidden = a.dataset.kind !== kind; });
}

function downloadUrl(format, bom) {
  // The result on screen, else what a Run would show: a question keeps its parameters and language.
  const state = shown || pendingState();
  const p = state.question ? new URLSearchParams({ ...state.params, lang, format })
    : new URLSearchParams({ query: state.query, format });
  if (!state.infer) p.set("infer", "false");
  if (bom) p.set("bom", "1");
  return (state.question ? config.cqBase + encodeURIComponent(state.question) : config.endpoint) + "?" + p.toString();
}

document.querySelectorAll("a.dl").forEach((a) => {
  const update = () => { a.href = downloadUrl(a.dataset.format, a.dataset.bom === "1"); };
  a.addEventListener("mousedown", update);
  a.addEventListener("focus", update);
  a.addEventListener("click", update);
});
viewNav.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
  setView(b.dataset.view);
  if (shown) {
    shown = { ...shown, view: specString(currentSpec) }; // the view is part of what is on screen
    recordRun(shown);
    $("permalink").value = permalink(shown);
    $("short-permalink").value = "";
  }
}));
$("examples").addEventListener("change", (e) => {
  const ex = config.examples.find((x) => x.id === e.target.value);
  if (ex) editor.value = ex.query;
});
function pickQuestion(id, values, view) {
  question = config.questions.find((x) => x.id === id) || null;
  readParams = renderParams($("question-params"), question, values || {}, config.governments || []);
  $("questions").value = question ? question.id : "";
  if (!question) return;
  editor.value = question.query;
  // A bare view name that is the question's own view keeps the question's columns for it.
  const own = parseViewSpec(question.view || "table"), named = parseViewSpec(view || question.view || "table");
  const spec = named.view === own.view && Object.keys(named).length === 1 ? own : named;
  setView(spec.view, spec);
}

$("examples").addEventListener("change", (e) => {
  const ex = config.examples.find((x) => x.id === e.target.value);
  if (ex) { pickQuestion(null); editor.value = ex.query; const spec = parseViewSpec(ex.view || "table"); setView(spec.view, spec); }
});
$("questions").addEventListener("change", (e) => pickQuestion(e.target.value));
$("history").addEventListener("change", (e) => {
  const item = loadHistory()[Number(e.target.value)];
  if (!item) return;
  if (item.question) pickQuestion(item.question, item.params, item.view);
  else { pickQuestion(null); editor.value = item.query; const spec = parseViewSpec(item.view || "table"); setView(spec.view, spec); }
});
form.addEventListener("submit", (e) => { e.preventDefault(); if (runner.running) stopRun(); else run(); });
document.addEventListener("keydown", (e) => { if (e.key === "Escape" && runner.running) stopRun(); });
// Leaving the page stops its query on the server too (the cancel request is sent keepalive).
window.addEventListener("pagehide", () => runner.stop());
$("shorten").addEventListener("click", async () => {
  if (!shown) return;
  const body = JSON.stringify({ query: shown.question ? undefined : shown.query, question: shown.question || undefined,
    params: shown.question ? shown.params : undefined, view: shown.view, infer: shown.infer, lang: shown.lang });
  const resp = await fetch(config.shortLinks, { method: "POST", body, headers: { "Content-Type": "application/json" } });
  if (resp.ok) $("short-permalink").value = new URL((await resp.json()).url, window.location.href).toString();
});
function openLocation(s) {
  if (s.question) pickQuestion(s.question, s.params, s.view);
  else if (s.query) { pickQuestion(null); editor.value = s.query; }
}
window.addEventListener("popstate", () => { const s = readLocation(); if (s.query || s.question) { openLocation(s); run(); } });

refreshHistory(loadHistory());
loadTerms();
const start = readLocation();
infer.checked = start.query || start.question ? start.infer : config.inferDefault;
const startSpec = parseViewSpec(start.view || "table");
if (["table", "bar", "heatmap", "timeline", "map", "graph", "raw"].includes(startSpec.view)) setView(startSpec.view, startSpec);
else setView("table");
openLocation(start);
$("permalink").value = permalink(pendingState());
if (start.query || question) run();
