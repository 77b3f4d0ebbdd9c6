// Bar chart, heatmap (pivot of two categorical columns and a number) and timeline, drawn as
// SVG so every mark carries its value as text and data- attributes.
import { isNumeric, termText } from "./terms.js";
import { t } from "./i18n.js";
import { frameChart, noChart, normalizeDate } from "./chart-frame.js";
import { svgEl } from "./dom.js";
import { renderMap } from "./mapview.js";

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?/;


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


export function renderBar(container, vars, rows, config, spec) {
  const label = spec.label || categoricalVars(vars, rows)[0];
  const value = spec.value || numericVars(vars, rows)[0];
  if (!label || !value) return noChart(container, t.noChart);
  const data = rows.filter((r) => r[value]).map((r) => [textOf(r[label], config.prefixes), Number(r[value].value)]);
  const max = Math.max(1, ...data.map((d) => d[1]));
  const rowH = 22, plotW = 420;
  const labelW = Math.min(360, Math.max(40, ...data.map((d) => textWidth(d[0])))) + 12;
  const top = 24, bottom = 34;
  const W = labelW + plotW + 80, H = top + data.length * rowH + 10 + bottom;
  const svg = svgEl("svg", { class: "chart bar-chart", width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  svg.appendChild(svgEl("text", { x: 4, y: 14, class: "axis-title y-title" }, label));
  svg.appendChild(svgEl("text", { x: labelW + plotW / 2, y: H - 6, "text-anchor": "middle", class: "axis-title x-title" }, value));
  svg.appendChild(svgEl("line", { x1: labelW, x2: labelW + plotW, y1: H - bottom, y2: H - bottom, class: "grid" }));
  svg.appendChild(svgEl("text", { x: labelW, y: H - bottom + 14, "text-anchor": "middle", class: "axis" }, "0"));
  svg.appendChild(svgEl("text", { x: labelW + plotW, y: H - bottom + 14, "text-anchor": "middle", class: "axis" }, String(max)));
  data.forEach(([name, n], i) => {
    const g = svgEl("g", { class: "bar", "data-label": name, "data-value": String(n) });
    const y = top + i * rowH;
    g.appendChild(svgEl("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "axis" }, name));
    g.appendChild(svgEl("rect", { x: labelW, y: y + 3, height: rowH - 6, width: Math.max(1, (n / max) * plotW) }));
    g.appendChild(svgEl("text", { x: labelW + (n / max) * plotW + 4, y: y + 15, class: "value" }, String(n)));
    g.appendChild(svgEl("title", {}, `${name}: ${n}`));
    svg.appendChild(g);
  });
  frameChart(container, svg, { title: `${t.bar}: ${value} / ${label}`, name: "bar-chart",
    desc: t.barDesc.replace("{n}", data.length).replace("{value}", value).replace("{label}", label),
    legend: [{ cls: "bar-swatch", text: value }], columns: [label, value], rows: data });
}

export function renderHeatmap(container, vars, rows, config, spec) {
  const cats = categoricalVars(vars, rows);
  const rowVar = spec.row || cats[0], colVar = spec.column || cats.find((v) => v !== rowVar);
  const value = spec.value || numericVars(vars, rows)[0];
  if (!rowVar || !colVar || !value) return noChart(container, t.noChart);
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
  const svg = svgEl("svg", { class: "chart heatmap", width: w, height: h + 20, viewBox: `0 0 ${w} ${h + 20}` });
  svg.appendChild(svgEl("text", { x: left + (colNames.length * cw) / 2, y: 12, "text-anchor": "middle", class: "axis-title x-title" }, colVar));
  svg.appendChild(svgEl("text", { x: 4, y: h + 14, class: "axis-title y-title" }, `↑ ${rowVar}`));
  const fit = (text, width) => { // cut to the column's width; the <title> keeps the whole name
    let out = text;
    while (textWidth(out) > width && out.length > 2) out = out.slice(0, -2) + "…";
    return out;
  };
  colNames.forEach((c, j) => {
    const label = svgEl("text", { x: left + j * cw + cw / 2, y: top - 10, "text-anchor": "middle", class: "axis col-label" }, fit(c, cw - 6));
    label.appendChild(svgEl("title", {}, c));
    svg.appendChild(label);
  });
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
  frameChart(container, svg, { title: `${t.heatmap}: ${value} (${rowVar} × ${colVar})`, name: "heatmap",
    desc: t.heatmapDesc.replace("{rows}", rowNames.length).replace("{cols}", colNames.length).replace("{value}", value).replace("{max}", max),
    legend: [{ cls: "heat-low", text: `${t.low} (0)` }, { cls: "heat-high", text: `${t.high} (${max})` }],
    columns: [rowVar, colVar, value],
    rows: rowNames.flatMap((a) => colNames.map((b) => [a, b, cells.get(a + "\u0000" + b) ?? ""])) });
}

/** Every row drawn: a bar for a period (start–end), a point for a single date (the first
 * column whose every value reads as a date, e.g. an adoption date), the rest listed without a
 * mark and counted in the caption. One row per thing (the label's IRI column, else the label). */
export function renderTimeline(container, vars, rows, config, spec) {
  const dates = dateVars(vars, rows);
  const start = spec.start || vars.find((v) => /start/i.test(v) && dates.includes(v)) || dates[0];
  const end = spec.end || vars.find((v) => /end/i.test(v) && dates.includes(v)) || dates.find((v) => v !== start);
  const label = spec.label || categoricalVars(vars, rows).find((v) => !dates.includes(v));
  if (!label) return noChart(container, t.noChart);
  const point = spec.point || vars.find((v) => v !== start && v !== end && v !== label && rows.some((r) => r[v]) &&
    rows.every((r) => !r[v] || (r[v].type === "literal" && normalizeDate(r[v].value))));
  const group = spec.group || vars.find((v) => v !== label && /gov.*label/i.test(v));
  const idVar = label.endsWith("Label") && vars.includes(label.slice(0, -5)) ? label.slice(0, -5) : label;
  const items = [], seen = new Set();
  for (const r of rows) {
    const key = r[idVar] ? r[idVar].value : JSON.stringify(r);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = textOf(r[label], config.prefixes) || textOf(r[idVar], config.prefixes);
    const who = group && r[group] ? r[group].value : "";
    const s0 = start && r[start] ? normalizeDate(r[start].value) : null;
    const e0 = end && r[end] ? normalizeDate(r[end].value) : null;
    const p0 = point && r[point] ? normalizeDate(r[point].value) : null;
    items.push({ name: who ? `${who}｜${name}` : name, plan: name, who, s0, e0, p0 });
  }
  const times = items.flatMap((i) => [i.s0, i.e0, i.p0].filter(Boolean).map((d) => d.at));
  if (!times.length) return noChart(container, t.noChart);
  items.sort((a, b) => ((a.p0 || a.s0) ? (a.p0 || a.s0).at : Infinity) - ((b.p0 || b.s0) ? (b.p0 || b.s0).at : Infinity));
  const min = Math.min(...times), max = Math.max(...times);
  const rowH = 22, plotW = 480, top = 40, bottom = 30;
  const left = Math.min(520, Math.max(...items.map((i) => textWidth(i.name)))) + 12;
  for (const it of items) { // too long for the label column: cut, the <title> keeps it whole
    while (textWidth(it.name) > left - 12 && it.name.length > 4) it.name = it.name.slice(0, -2) + "…";
  }
  const span = Math.max(1, max - min);
  const x = (v) => left + ((v - min) / span) * plotW;
  const w = left + plotW + 30, h = top + items.length * rowH + bottom;
  const svg = svgEl("svg", { class: "chart timeline", width: w, height: h, viewBox: `0 0 ${w} ${h}` });
  svg.appendChild(svgEl("text", { x: left + plotW / 2, y: h - 6, "text-anchor": "middle", class: "axis-title x-title" }, t.year));
  svg.appendChild(svgEl("text", { x: 4, y: 12, class: "axis-title y-title" }, group ? `${label}（${group}）` : label));
  const y0 = new Date(min).getUTCFullYear(), y1 = new Date(max).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 10));
  for (let y = y0; y <= y1 + 1; y += step) {
    const xv = x(Date.UTC(y, 0, 1));
    if (xv < left || xv > left + plotW) continue;
    svg.appendChild(svgEl("line", { x1: xv, x2: xv, y1: top - 6, y2: h - bottom, class: "grid" }));
    svg.appendChild(svgEl("text", { x: xv, y: top - 10, "text-anchor": "middle", class: "axis" }, String(y)));
  }
  let undated = 0;
  items.forEach((it, i) => {
    const y = top + i * rowH;
    const period = it.s0 ? `${it.s0.text}/${it.e0 ? it.e0.text : ""}` : "";
    const g = svgEl("g", { class: "plan", "data-label": it.plan, "data-government": it.who,
      "data-date": it.p0 ? it.p0.text : "", "data-period": period });
    g.appendChild(svgEl("text", { x: left - 6, y: y + 15, "text-anchor": "end", class: "axis" }, it.name));
    const parts = [];
    if (it.s0) {
      const b = it.e0 ? it.e0.at : max;
      g.classList.add("period");
      g.setAttribute("data-start", start && it.s0 ? it.s0.text : "");
      g.setAttribute("data-end", it.e0 ? it.e0.text : "");
      g.appendChild(svgEl("rect", { x: x(it.s0.at), y: y + 4, height: rowH - 8, width: Math.max(4, x(b) - x(it.s0.at)),
        class: it.e0 ? "bar-mark" : "bar-mark open" }));
      parts.push(`${t.period} ${it.s0.text} – ${it.e0 ? it.e0.text : t.noEnd}`);
    }
    if (it.p0) {
      g.classList.add("point");
      g.appendChild(svgEl("circle", { cx: x(it.p0.at), cy: y + rowH / 2, r: 5, class: "point-mark" }));
      parts.push(`${t.adopted} ${it.p0.text}`);
    }
    if (!it.s0 && !it.p0) {
      undated += 1;
      g.classList.add("undated");
      g.appendChild(svgEl("text", { x: left + 4, y: y + 15, class: "value undated-note" }, t.noDate));
      parts.push(t.noDate);
    }
    g.appendChild(svgEl("title", {}, `${it.who ? it.who + "｜" : ""}${it.plan}: ${parts.join("; ")}`));
    svg.appendChild(g);
  });
  frameChart(container, svg, { title: `${t.timeline}: ${label}`, name: "timeline",
    desc: t.timelineDesc.replace("{n}", items.length).replace("{undated}", undated),
    legend: [{ cls: "bar-swatch", text: t.period }, { cls: "point-swatch", text: t.adopted }],
    columns: [label, group || "", t.adopted, t.period],
    rows: items.map((i) => [i.plan, i.who, i.p0 ? i.p0.text : "", i.s0 ? `${i.s0.text}/${i.e0 ? i.e0.text : ""}` : ""]) });
}

export const VIEWS = { bar: renderBar, heatmap: renderHeatmap, timeline: renderTimeline, map: renderMap };
