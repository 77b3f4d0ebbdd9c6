// Bar chart, heatmap (pivot of two categorical columns and a number) and timeline, drawn as
// SVG so every mark carries its value as text and data- attributes.
import { isNumeric, termText } from "./terms.js";
import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?/;

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Rough rendered width of a label at 12px: CJK characters are about twice as wide as Latin. */
function textWidth(text) {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0) > 0x2e80 ? 12 : 7;
  return w;
}

function textOf(term, prefixes) {
  return termText(term, prefixes);
}

/** ``"heatmap row=govLabel column=categoryLabel value=initiatives"`` → an object. */
export function parseViewSpec(spec) {
  const [view, ...pairs] = (spec || "").trim().split(/\s+/);
  const out = { view: view || "table" };
  for (const pair of pairs) {
    const [k, v] = pair.split("=");
    if (k && v) out[k] = v;
  }
  return out;
}

function numericVars(vars, rows) {
  return vars.filter((v) => rows.length && rows.every((r) => !r[v] || isNumeric(r[v])) && rows.some((r) => r[v]));
}

function categoricalVars(vars, rows) {
  const numeric = new Set(numericVars(vars, rows));
  const cats = vars.filter((v) => !numeric.has(v) && rows.some((r) => r[v]));
  // Prefer label columns: they read better than IRIs.
  return cats.filter((v) => v.endsWith("Label")).concat(cats.filter((v) => !v.endsWith("Label")));
}

function dateVars(vars, rows) {
  return vars.filter((v) => rows.some((r) => r[v]) && rows.every((r) => !r[v] || DATE.test(r[v].value)) &&
    rows.some((r) => r[v] && (r[v].datatype || "").includes("date")));
}

function message(container, text) {
  const p = document.createElement("p");
  p.className = "no-chart";
  p.textContent = text;
  container.appendChild(p);
}

export function renderBar(container, vars, rows, config, spec) {
  const label = spec.label || categoricalVars(vars, rows)[0];
  const value = spec.value || numericVars(vars, rows)[0];
  if (!label || !value) return message(container, t.noChart);
  const data = rows.filter((r) => r[value]).map((r) => [textOf(r[label], config.prefixes), Number(r[value].value)]);
  const max = Math.max(1, ...data.map((d) => d[1]));
  const rowH = 22, plotW = 420;
  const labelW = Math.min(360, Math.max(40, ...data.map((d) => textWidth(d[0])))) + 12;
  const svg = svgEl("svg", { class: "chart bar-chart", width: labelW + plotW + 80, height: data.length * rowH + 10,
    viewBox: `0 0 ${labelW + plotW + 80} ${data.length * rowH + 10}`, role: "img" });
  data.forEach(([name, n], i) => {
    const g = svgEl("g", { class: "bar", "data-label": name, "data-value": String(n) });
    const y = i * rowH + 5;
    g.appendChild(svgEl("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "axis" }, name));
    g.appendChild(svgEl("rect", { x: labelW, y: y + 3, height: rowH - 6, width: Math.max(1, (n / max) * plotW) }));
    g.appendChild(svgEl("text", { x: labelW + (n / max) * plotW + 4, y: y + 15, class: "value" }, String(n)));
    svg.appendChild(g);
  });
  container.appendChild(svg);
}

export function renderHeatmap(container, vars, rows, config, spec) {
  const cats = categoricalVars(vars, rows);
  const rowVar = spec.row || cats[0], colVar = spec.column || cats.find((v) => v !== rowVar);
  const value = spec.value || numericVars(vars, rows)[0];
  if (!rowVar || !colVar || !value) return message(container, t.noChart);
  const rowNames = [], colNames = [], cells = new Map();
  for (const r of rows) {
    const a = textOf(r[rowVar], config.prefixes), b = textOf(r[colVar], config.prefixes);
    if (!rowNames.includes(a)) rowNames.push(a);
    if (!colNames.includes(b)) colNames.push(b);
    cells.set(a + "\u0000" + b, (cells.get(a + "\u0000" + b) || 0) + Number(r[value] ? r[value].value : 0));
  }
  const max = Math.max(1, ...cells.values());
  const cw = Math.min(220, Math.max(70, ...colNames.map(textWidth)) + 16), ch = 32, top = 40;
  const left = Math.min(260, Math.max(60, ...rowNames.map(textWidth))) + 14;
  const w = left + colNames.length * cw + 10, h = top + rowNames.length * ch + 10;
  const svg = svgEl("svg", { class: "chart heatmap", width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img" });
  colNames.forEach((c, j) => svg.appendChild(svgEl("text", { x: left + j * cw + cw / 2, y: top - 10,
    "text-anchor": "middle", class: "axis col-label" }, c)));
  rowNames.forEach((rname, i) => {
    svg.appendChild(svgEl("text", { x: left - 8, y: top + i * ch + ch / 2 + 5, "text-anchor": "end",
      class: "axis row-label" }, rname));
    colNames.forEach((c, j) => {
      const n = cells.get(rname + "\u0000" + c);
      const g = svgEl("g", { class: "cell", "data-row": rname, "data-column": c, "data-value": n === undefined ? "" : String(n) });
      const shade = n === undefined ? 0 : n / max;
      g.appendChild(svgEl("rect", { x: left + j * cw, y: top + i * ch, width: cw - 2, height: ch - 2,
        fill: `rgb(${Math.round(240 - 200 * shade)},${Math.round(244 - 150 * shade)},${Math.round(250 - 80 * shade)})` }));
      g.appendChild(svgEl("text", { x: left + j * cw + cw / 2, y: top + i * ch + ch / 2 + 4, "text-anchor": "middle",
        class: shade > 0.6 ? "value dark" : "value" }, n === undefined ? "" : String(n)));
      const title = svgEl("title", {}, `${rname} × ${c}: ${n ?? ""}`);
      g.appendChild(title);
      svg.appendChild(g);
    });
  });
  container.appendChild(svg);
}

function toTime(value) {
  const m = DATE.exec(value);
  return m ? Date.parse(m[0].length === 4 ? m[0] + "-01-01" : m[0].length === 7 ? m[0] + "-01" : m[0]) : NaN;
}

export function renderTimeline(container, vars, rows, config, spec) {
  const dates = dateVars(vars, rows);
  const start = spec.start || vars.find((v) => /start/i.test(v) && dates.includes(v)) || dates[0];
  const end = spec.end || vars.find((v) => /end/i.test(v) && dates.includes(v)) || dates.find((v) => v !== start);
  const label = spec.label || categoricalVars(vars, rows).find((v) => !dates.includes(v));
  if (!start || !label) return message(container, t.noChart);
  const items = [];
  const seen = new Set();
  for (const r of rows) {
    if (!r[start]) continue;
    const name = textOf(r[label], config.prefixes);
    const key = name + "\u0000" + r[start].value + "\u0000" + (end && r[end] ? r[end].value : "");
    if (seen.has(key)) continue;
    seen.add(key);
    const a = toTime(r[start].value), b = end && r[end] ? toTime(r[end].value) : a;
    if (!Number.isNaN(a)) items.push({ name, a, b: Number.isNaN(b) ? a : b, from: r[start].value,
      to: end && r[end] ? r[end].value : "" });
  }
  if (!items.length) return message(container, t.noChart);
  const min = Math.min(...items.map((i) => i.a)), max = Math.max(...items.map((i) => i.b));
  const rowH = 22, plotW = 480, top = 24;
  const left = Math.min(420, Math.max(...items.map((i) => textWidth(i.name)))) + 12;
  const span = Math.max(1, max - min);
  const x = (v) => left + ((v - min) / span) * plotW;
  const w = left + plotW + 20, h = top + items.length * rowH + 10;
  const svg = svgEl("svg", { class: "chart timeline", width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img" });
  const y0 = new Date(min).getUTCFullYear(), y1 = new Date(max).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 10));
  for (let y = y0; y <= y1 + 1; y += step) {
    const xv = x(Date.UTC(y, 0, 1));
    if (xv < left || xv > left + plotW) continue;
    svg.appendChild(svgEl("line", { x1: xv, x2: xv, y1: top - 6, y2: h - 6, class: "grid" }));
    svg.appendChild(svgEl("text", { x: xv, y: top - 10, "text-anchor": "middle", class: "axis" }, String(y)));
  }
  items.forEach((it, i) => {
    const y = top + i * rowH;
    const g = svgEl("g", { class: "period", "data-label": it.name, "data-start": it.from, "data-end": it.to });
    g.appendChild(svgEl("text", { x: left - 6, y: y + 15, "text-anchor": "end", class: "axis" }, it.name));
    g.appendChild(svgEl("rect", { x: x(it.a), y: y + 4, height: rowH - 8, width: Math.max(4, x(it.b) - x(it.a)) }));
    g.appendChild(svgEl("title", {}, `${it.name}: ${it.from}${it.to ? " – " + it.to : ""}`));
    svg.appendChild(g);
  });
  container.appendChild(svg);
}

export const VIEWS = { bar: renderBar, heatmap: renderHeatmap, timeline: renderTimeline };
