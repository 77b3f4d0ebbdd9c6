// A paged, sortable, filterable result table: only one page of rows is ever in the DOM, so
// 12,622 rows cost one sort/filter over plain strings, not 12,622 table rows.
import { collator, isNumeric, renderTerm, termText } from "./terms.js";
import { t } from "./i18n.js";

const PAGE_SIZE = 100;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function renderTable(container, vars, rows, config, labels) {
  const keys = rows.map((row) => vars.map((v) => termText(row[v], config.prefixes)));
  const search = keys.map((k) => k.join("\u0000").toLowerCase());
  const state = { order: rows.map((_, i) => i), visible: null, sortVar: -1, desc: false, page: 0 };

  const bar = el("div", "table-tools");
  const filter = el("input", "filter");
  filter.type = "search";
  filter.placeholder = t.filter;
  filter.setAttribute("aria-label", t.filter);
  const prev = el("button", "prev", t.prev);
  const next = el("button", "next", t.next);
  prev.type = next.type = "button";
  const pageInfo = el("span", "page-info");
  const jumpLabel = el("label", "page-jump", t.jump + " ");
  const jump = el("input");
  jump.type = "number";
  jump.min = "1";
  jump.inputMode = "numeric";
  jumpLabel.appendChild(jump);
  bar.append(filter, prev, pageInfo, next, jumpLabel);
  const wrap = el("div", "table-wrap");
  const table = el("table", "results-table");
  const thead = el("thead"), headRow = el("tr"), tbody = el("tbody");
  vars.forEach((v, i) => {
    const th = el("th", "sortable", v);
    th.dataset.var = v;
    th.tabIndex = 0;
    th.addEventListener("click", () => sortBy(i));
    th.addEventListener("keydown", (e) => { if (e.key === "Enter") sortBy(i); });
    headRow.appendChild(th);
  });
  thead.appendChild(headRow);
  table.append(thead, tbody);
  wrap.appendChild(table);
  container.append(bar, wrap);

  function compare(a, b, i) {
    const ta = rows[a][vars[i]], tb = rows[b][vars[i]];
    if (isNumeric(ta) && isNumeric(tb)) return Number(ta.value) - Number(tb.value);
    return collator.compare(keys[a][i], keys[b][i]); // Japanese collation (Intl.Collator("ja"))
  }

  function sortBy(i) {
    state.desc = state.sortVar === i ? !state.desc : false;
    state.sortVar = i;
    state.order.sort((a, b) => (state.desc ? -1 : 1) * compare(a, b, i) || a - b);
    headRow.querySelectorAll("th").forEach((th, j) => {
      th.removeAttribute("aria-sort");
      if (j === i) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
    });
    applyFilter();
  }

  function applyFilter() {
    const needle = filter.value.trim().toLowerCase();
    state.visible = needle ? state.order.filter((i) => search[i].includes(needle)) : state.order;
    state.page = 0;
    draw();
  }

  function draw() {
    const pages = Math.max(1, Math.ceil(state.visible.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE_SIZE;
    const frag = document.createDocumentFragment();
    for (const i of state.visible.slice(start, start + PAGE_SIZE)) {
      const tr = el("tr");
      for (const v of vars) {
        const td = el("td");
        if (isNumeric(rows[i][v])) td.className = "num";
        td.appendChild(renderTerm(rows[i][v], config, labels));
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    pageInfo.textContent = `${state.page + 1} / ${pages} ${t.page} (${state.visible.length} ${t.rows})`;
    jump.max = String(pages);
    jump.value = String(state.page + 1);
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  prev.addEventListener("click", () => { state.page -= 1; draw(); });
  next.addEventListener("click", () => { state.page += 1; draw(); });
  jump.addEventListener("change", () => {
    const n = Math.round(Number(jump.value));
    if (Number.isFinite(n)) { state.page = Math.max(0, n - 1); draw(); }
  });
  filter.addEventListener("input", applyFilter);
  applyFilter();
}
