// Permalinks (the address records query, view, inference and language on every Run) and the
// last 50 queries, kept in this browser's localStorage only.
const KEY = "jichitai-kg.history";
const LIMIT = 50;

export function permalink(state) {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("query", state.query);
  if (state.view && state.view !== "table") url.searchParams.set("view", state.view);
  if (state.infer === false) url.searchParams.set("infer", "false");
  url.searchParams.set("lang", state.lang);
  return url.toString();
}

export function recordRun(state) {
  const url = permalink(state);
  if (url !== window.location.href) window.history.pushState(null, "", url);
  return url;
}

export function readLocation() {
  const p = new URLSearchParams(window.location.search);
  return { query: p.get("query"), view: p.get("view") || null, infer: p.get("infer") !== "false" };
}

export function loadHistory() {
  try {
    const items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(items) ? items : [];
  } catch (e) {
    return [];
  }
}

export function remember(query, view) {
  const items = loadHistory().filter((item) => item.query !== query);
  items.unshift({ query, view, time: new Date().toISOString() });
  try {
    window.localStorage.setItem(KEY, JSON.stringify(items.slice(0, LIMIT)));
  } catch (e) {
    // Storage full or disabled: history is a convenience, the run itself succeeded.
  }
  return items.slice(0, LIMIT);
}
