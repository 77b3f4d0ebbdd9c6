// CONSTRUCT/DESCRIBE as a node-link drawing: terms are nodes, triples are labelled edges.
// A fixed number of force-layout steps from a circle, so the drawing is the same every time.
import { termText } from "./terms.js";
import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const MAX_NODES = 150;
const STEPS = 200;

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function layout(n, edges, size) {
  const pos = Array.from({ length: n }, (_, i) => [size / 2 + (size / 3) * Math.cos((2 * Math.PI * i) / n),
    size / 2 + (size / 3) * Math.sin((2 * Math.PI * i) / n)]);
  const k = Math.sqrt((size * size) / Math.max(n, 1)) * 0.6;
  for (let step = 0; step < STEPS; step++) {
    const move = pos.map(() => [0, 0]);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i][0] - pos[j][0], dy = pos[i][1] - pos[j][1];
        const d2 = Math.max(dx * dx + dy * dy, 0.01), f = (k * k) / d2;
        move[i][0] += dx * f; move[i][1] += dy * f; move[j][0] -= dx * f; move[j][1] -= dy * f;
      }
    }
    for (const [a, b] of edges) {
      const dx = pos[a][0] - pos[b][0], dy = pos[a][1] - pos[b][1], d = Math.sqrt(dx * dx + dy * dy) || 0.1;
      const f = d / k;
      move[a][0] -= dx * f; move[a][1] -= dy * f; move[b][0] += dx * f; move[b][1] += dy * f;
    }
    const limit = (size / 10) * (1 - step / STEPS) + 1;
    pos.forEach((p, i) => {
      const [mx, my] = move[i], len = Math.sqrt(mx * mx + my * my) || 1, s = Math.min(len, limit) / len;
      p[0] = Math.min(size - 20, Math.max(20, p[0] + mx * s));
      p[1] = Math.min(size - 20, Math.max(20, p[1] + my * s));
    });
  }
  return pos;
}

export function renderGraph(container, vars, rows, config) {
  const ids = new Map(), nodes = [];
  const node = (term) => {
    const key = term.type + "\u0000" + term.value + "\u0000" + (term["xml:lang"] || term.datatype || "");
    if (!ids.has(key)) { ids.set(key, nodes.length); nodes.push(term); }
    return ids.get(key);
  };
  const edges = rows.map((r) => [node(r.subject), node(r.object), termText(r.predicate, config.prefixes)]);
  if (!rows.length || nodes.length > MAX_NODES) {
    const p = document.createElement("p");
    p.className = "no-chart";
    p.textContent = t.noChart;
    container.appendChild(p);
    return;
  }
  const size = Math.max(360, Math.min(900, 90 * Math.sqrt(nodes.length)));
  const pos = layout(nodes.length, edges, size);
  const svg = svgEl("svg", { class: "chart graph", width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: "img" });
  edges.forEach(([a, b, label]) => {
    const g = svgEl("g", { class: "edge", "data-predicate": label });
    g.appendChild(svgEl("line", { x1: pos[a][0], y1: pos[a][1], x2: pos[b][0], y2: pos[b][1] }));
    g.appendChild(svgEl("text", { x: (pos[a][0] + pos[b][0]) / 2, y: (pos[a][1] + pos[b][1]) / 2, class: "edge-label" }, label));
    svg.appendChild(g);
  });
  nodes.forEach((term, i) => {
    const g = svgEl("g", { class: "node " + term.type, "data-term": term.value });
    g.appendChild(svgEl("circle", { cx: pos[i][0], cy: pos[i][1], r: term.type === "uri" ? 7 : 4 }));
    g.appendChild(svgEl("text", { x: pos[i][0] + 9, y: pos[i][1] + 4 }, termText(term, config.prefixes).slice(0, 40)));
    svg.appendChild(g);
  });
  container.appendChild(svg);
}
