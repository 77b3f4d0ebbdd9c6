// CONSTRUCT/DESCRIBE as a node-link drawing: terms are nodes, triples are labelled edges.
// A fixed number of force-layout steps from a circle, so the drawing is the same every time.
import { termText } from "./terms.js";
import { t } from "./i18n.js";
import { frameChart, noChart } from "./chart-frame.js";
import { svgEl } from "./dom.js";

const MAX_NODES = 150;
const STEPS = 200;


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

export function renderGraph(container, vars, allRows, config) {
  const ids = new Map(), nodes = [];
  const key = (term) => term.type + "\u0000" + term.value + "\u0000" + (term["xml:lang"] || term.datatype || "");
  const node = (term) => {
    if (!ids.has(key(term))) { ids.set(key(term), nodes.length); nodes.push(term); }
    return ids.get(key(term));
  };
  // Past MAX_NODES terms the drawing stops (and says so): the first triples, in answer order.
  const rows = [];
  for (const r of allRows) {
    const fresh = [r.subject, r.object].filter((x, i, a) => !ids.has(key(x)) && a.findIndex((y) => key(y) === key(x)) === i).length;
    if (nodes.length + fresh > MAX_NODES) break;
    rows.push(r);
    node(r.subject);
    node(r.object);
  }
  const edges = rows.map((r) => [ids.get(key(r.subject)), ids.get(key(r.object)), termText(r.predicate, config.prefixes)]);
  if (!rows.length) return noChart(container, t.noChart);
  if (rows.length < allRows.length) {
    const p = document.createElement("p");
    p.className = "capped-note";
    p.setAttribute("role", "note");
    p.textContent = t.graphCapped.replace("{shown}", rows.length).replace("{all}", allRows.length).replace("{max}", MAX_NODES);
    container.appendChild(p);
  }
  const size = Math.max(360, Math.min(900, 90 * Math.sqrt(nodes.length)));
  const pos = layout(nodes.length, edges, size);
  const svg = svgEl("svg", { class: "chart graph", width: size, height: size, viewBox: `0 0 ${size} ${size}`, tabindex: "0" });
  const view = svgEl("g", { class: "viewport" });
  svg.appendChild(view);
  const busy = edges.length > 30; // many edges: predicate labels only once zoomed in
  edges.forEach(([a, b, label]) => {
    const g = svgEl("g", { class: "edge", "data-predicate": label });
    g.appendChild(svgEl("line", { x1: pos[a][0], y1: pos[a][1], x2: pos[b][0], y2: pos[b][1] }));
    g.appendChild(svgEl("text", { x: (pos[a][0] + pos[b][0]) / 2, y: (pos[a][1] + pos[b][1]) / 2,
      class: busy ? "edge-label detail" : "edge-label" }, label));
    g.appendChild(svgEl("title", {}, label));
    view.appendChild(g);
  });
  nodes.forEach((term, i) => {
    const g = svgEl("g", { class: "node " + term.type, "data-term": term.value });
    const text = termText(term, config.prefixes);
    g.appendChild(svgEl("circle", { cx: pos[i][0], cy: pos[i][1], r: term.type === "uri" ? 7 : 4 }));
    g.appendChild(svgEl("text", { x: pos[i][0] + 9, y: pos[i][1] + 4, class: "node-label" }, text.length > 28 ? text.slice(0, 27) + "…" : text));
    g.appendChild(svgEl("title", {}, text));
    view.appendChild(g);
  });
  const zoom = { k: 1, x: 0, y: 0 };
  const apply = () => {
    view.setAttribute("transform", `translate(${zoom.x} ${zoom.y}) scale(${zoom.k})`);
    svg.classList.toggle("zoomed", zoom.k >= 1.5);
    svg.dataset.zoom = zoom.k.toFixed(2);
  };
  const zoomAt = (factor, cx, cy) => {
    const k = Math.min(8, Math.max(0.5, zoom.k * factor));
    zoom.x = cx - ((cx - zoom.x) * k) / zoom.k;
    zoom.y = cy - ((cy - zoom.y) * k) / zoom.k;
    zoom.k = k;
    apply();
  };
  const toSvg = (e) => {
    const r = svg.getBoundingClientRect();
    return [((e.clientX - r.left) * size) / r.width, ((e.clientY - r.top) * size) / r.height];
  };
  svg.addEventListener("wheel", (e) => { e.preventDefault(); zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, ...toSvg(e)); }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY, zoom.x, zoom.y]; svg.setPointerCapture(e.pointerId); });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    zoom.x = drag[2] + ((e.clientX - drag[0]) * size) / r.width;
    zoom.y = drag[3] + ((e.clientY - drag[1]) * size) / r.height;
    apply();
  });
  svg.addEventListener("pointerup", () => { drag = null; });
  const keys = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
  svg.addEventListener("keydown", (e) => {
    if (keys[e.key]) { zoom.x += keys[e.key][0]; zoom.y += keys[e.key][1]; apply(); e.preventDefault(); }
    else if (e.key === "+" || e.key === "=") zoomAt(1.25, size / 2, size / 2);
    else if (e.key === "-") zoomAt(0.8, size / 2, size / 2);
    else if (e.key === "0") { zoom.k = 1; zoom.x = zoom.y = 0; apply(); }
  });
  apply();
  const figure = frameChart(container, svg, { title: `${t.graph}: ${nodes.length} ${t.nodes}, ${edges.length} ${t.triples}`,
    desc: t.graphDesc, name: "graph",
    legend: [{ cls: "node-uri", text: "IRI" }, { cls: "node-literal", text: t.literal }, { cls: "node-bnode", text: t.bnode }],
    columns: [t.subject, t.predicate, t.object],
    rows: rows.slice(0, 500).map((r) => [termText(r.subject, config.prefixes), termText(r.predicate, config.prefixes), termText(r.object, config.prefixes)]) });
  const controls = document.createElement("p");
  controls.className = "zoom-controls";
  for (const [label, act] of [[t.zoomIn, () => zoomAt(1.25, size / 2, size / 2)], [t.zoomOut, () => zoomAt(0.8, size / 2, size / 2)],
    [t.zoomReset, () => { zoom.k = 1; zoom.x = zoom.y = 0; apply(); }]]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", act);
    controls.appendChild(b);
  }
  figure.insertBefore(controls, figure.querySelector(".chart-scroll"));
}
