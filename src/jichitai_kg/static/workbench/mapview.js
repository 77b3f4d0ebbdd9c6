// The map view: rows with a latitude and a longitude column (or a WKT POINT) as points on the
// same plain projection as /map (equirectangular, squeezed by the cosine of the middle latitude).
import { isNumeric, termText } from "./terms.js";
import { t } from "./i18n.js";
import { frameChart, noChart } from "./chart-frame.js";
import { svgEl } from "./dom.js";

const WIDTH = 640, MARGIN = 20, MAX_LABELS = 30;
const WKT_POINT = /POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/i;

function position(row, latVar, longVar, wktVar) {
  if (latVar && longVar && row[latVar] && row[longVar]) return [Number(row[latVar].value), Number(row[longVar].value)];
  const m = wktVar && row[wktVar] ? WKT_POINT.exec(row[wktVar].value) : null;
  return m ? [Number(m[2]), Number(m[1])] : null;
}

export function renderMap(container, vars, rows, config, spec) {
  const numeric = (v) => rows.some((r) => r[v]) && rows.every((r) => !r[v] || isNumeric(r[v]) || !Number.isNaN(Number(r[v].value)));
  const latVar = spec.lat || vars.find((v) => /^lat(itude)?$/i.test(v) && numeric(v));
  const longVar = spec.long || vars.find((v) => /^(long|lon|lng|longitude)$/i.test(v) && numeric(v));
  const wktVar = spec.wkt || vars.find((v) => rows.some((r) => r[v] && WKT_POINT.test(r[v].value)));
  const label = spec.label || vars.find((v) => /label|name/i.test(v)) || vars.find((v) => v !== latVar && v !== longVar);
  const points = [];
  for (const r of rows) {
    const pos = position(r, latVar, longVar, wktVar);
    if (pos && pos.every(Number.isFinite) && Math.abs(pos[0]) <= 90 && Math.abs(pos[1]) <= 180) {
      points.push({ lat: pos[0], long: pos[1], name: label && r[label] ? termText(r[label], config.prefixes) : "" });
    }
  }
  if (!points.length) return noChart(container, t.noMap);
  const lats = points.map((p) => p.lat), longs = points.map((p) => p.long);
  const minLat = Math.min(...lats), maxLat = Math.max(...lats), minLong = Math.min(...longs), maxLong = Math.max(...longs);
  const squeeze = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = Math.max((maxLong - minLong) * squeeze, 1e-6), spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, 4 * (WIDTH - 2 * MARGIN) / spanY);
  const height = Math.round(spanY * scale + 2 * MARGIN);
  const svg = svgEl("svg", { class: "chart map-view", width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}` });
  const few = points.length <= MAX_LABELS;
  for (const p of points) {
    const x = MARGIN + (p.long - minLong) * squeeze * scale, y = MARGIN + (maxLat - p.lat) * scale;
    const g = svgEl("g", { class: "place", "data-label": p.name, "data-lat": String(p.lat), "data-long": String(p.long) });
    g.appendChild(svgEl("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: few ? 5 : 2 }));
    if (few && p.name) g.appendChild(svgEl("text", { x: (x + 7).toFixed(1), y: (y + 4).toFixed(1), class: "axis" }, p.name));
    g.appendChild(svgEl("title", {}, `${p.name} (${p.lat}, ${p.long})`));
    svg.appendChild(g);
  }
  const skipped = rows.length - points.length;
  frameChart(container, svg, { title: `${t.map}: ${label || ""}`, name: "map",
    desc: t.mapDesc.replace("{n}", points.length).replace("{skipped}", skipped),
    legend: [{ cls: "point-swatch", text: few ? t.mapLabelled : t.mapUnlabelled }],
    columns: [label || "", "lat", "long"], rows: points.slice(0, 500).map((p) => [p.name, p.lat, p.long]) });
}
