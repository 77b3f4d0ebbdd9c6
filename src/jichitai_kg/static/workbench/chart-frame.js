// What every chart carries besides its marks: a title and a description (as the SVG's <title>
// and <desc>, and as a visible caption), a legend, the same data as a table, and downloads as
// SVG and PNG. Dates read from the data are put in one form here too (ISO 8601).
import { t } from "./i18n.js";
import { el, svgEl } from "./dom.js";

let serial = 0;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];


/** A date as the data writes it (2004, 2011-02, 2011年3月, 2018年度, FY2018, 2014-04-01) →
 * {text: ISO 8601 (a fiscal year as its interval 2018-04/2019-03), at: ms of its start} or null. */
export function normalizeDate(value) {
  const s = String(value || "").trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) return { text: m[0], at: Date.UTC(+m[1], +m[2] - 1, +m[3]) };
  m = /^(\d{4})-(\d{2})$/.exec(s) || /^(\d{4})年(\d{1,2})月$/.exec(s);
  if (m) return { text: `${m[1]}-${m[2].padStart(2, "0")}`, at: Date.UTC(+m[1], +m[2] - 1, 1) };
  const month = /^(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})$/.exec(s);
  if (month) {
    const n = MONTHS.indexOf(month[1]) + 1;
    return { text: `${month[2]}-${String(n).padStart(2, "0")}`, at: Date.UTC(+month[2], n - 1, 1) };
  }
  m = /^(\d{4})年度$/.exec(s) || /^FY\s?(\d{4})$/i.exec(s);
  if (m) return { text: `${m[1]}-04/${+m[1] + 1}-03`, at: Date.UTC(+m[1], 3, 1) };
  m = /^(\d{4})年?$/.exec(s);
  if (m) return { text: m[1], at: Date.UTC(+m[1], 0, 1) };
  return null;
}

/** The note shown instead of a chart the result cannot fill. */
export function noChart(container, text) {
  container.appendChild(el("p", { class: "no-chart" }, text));
}

/** Wrap ``svg`` in a figure with caption, legend, table fallback and downloads. */
export function frameChart(container, svg, { title, desc, legend, columns, rows, name }) {
  const id = `chart-${++serial}`;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", `${id}-title ${id}-desc`);
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  svg.prepend(svgEl("title", { id: `${id}-title` }, title), svgEl("desc", { id: `${id}-desc` }, desc));
  const figure = el("figure", { class: "chart-figure" });
  const caption = el("figcaption", { class: "chart-title" });
  caption.append(el("strong", {}, title), el("span", { class: "chart-desc" }, " " + desc));
  figure.appendChild(caption);
  if (legend && legend.length) {
    const ul = el("ul", { class: "legend", "aria-label": t.legend });
    for (const item of legend) {
      const li = el("li");
      li.append(el("span", { class: `swatch ${item.cls}`, "aria-hidden": "true" }), document.createTextNode(item.text));
      ul.appendChild(li);
    }
    figure.appendChild(ul);
  }
  const scroll = el("div", { class: "chart-scroll", tabindex: "0", role: "region", "aria-label": title });
  scroll.appendChild(svg);
  figure.appendChild(scroll);
  const tools = el("p", { class: "chart-downloads" });
  const svgButton = el("button", { type: "button", class: "dl-svg" }, t.downloadSvg);
  const pngButton = el("button", { type: "button", class: "dl-png" }, t.downloadPng);
  svgButton.addEventListener("click", () => save(new Blob([svgText(svg)], { type: "image/svg+xml" }), `${name}.svg`));
  pngButton.addEventListener("click", () => pngBlob(svg).then((b) => save(b, `${name}.png`)));
  tools.append(svgButton, pngButton);
  figure.appendChild(tools);
  const details = el("details", { class: "chart-table" });
  details.appendChild(el("summary", {}, t.asTable));
  const table = el("table");
  const head = el("tr");
  for (const c of columns) head.appendChild(el("th", { scope: "col" }, c));
  table.appendChild(el("thead")).appendChild(head);
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    for (const v of r) tr.appendChild(el("td", {}, String(v)));
    body.appendChild(tr);
  }
  table.appendChild(body);
  details.appendChild(table);
  figure.appendChild(details);
  container.appendChild(figure);
  return figure;
}

/** The chart as a standalone SVG file, with the page's chart styles inlined as attributes. */
export function svgText(svg) {
  const copy = svg.cloneNode(true);
  const live = svg.querySelectorAll("*"), copies = copy.querySelectorAll("*");
  live.forEach((node, i) => {
    const cs = window.getComputedStyle(node);
    for (const prop of ["fill", "stroke", "stroke-width", "font-size", "font-family", "opacity"]) {
      const v = cs.getPropertyValue(prop);
      if (v) copies[i].setAttribute(prop, v);
    }
  });
  return new XMLSerializer().serializeToString(copy);
}

function pngBlob(svg) {
  const w = Number(svg.getAttribute("width")) || 800, h = Number(svg.getAttribute("height")) || 400;
  const bytes = new TextEncoder().encode(svgText(svg));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  const img = new Image(); // a data: address: the page's policy allows data: images only
  return new Promise((resolve, reject) => {
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = w * 2;
      canvas.height = h * 2;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, w, h);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png");
    };
    img.onerror = reject;
    img.src = "data:image/svg+xml;base64," + btoa(bin);
  });
}

function save(blob, filename) {
  const a = el("a", { download: filename });
  a.href = URL.createObjectURL(blob);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
