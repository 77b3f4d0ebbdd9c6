// Permalinks (the address records query, view, inference and language on every Run) and the
// last 50 queries, kept in this browser's localStorage only.
const KEY = "jichitai-kg.history";
const LIMIT = 50;

//: Names the workbench's address uses itself; every other name is a question parameter.
const RESERVED = new Set(["query", "question", "view", "infer", "lang"]);

/** The address of a state: {query, question, params, view, infer, lang}. A question is named by
 * its id with its parameters (the server binds them), a free query by its text. */
export function permalink(state) {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = "";
  if (state.question) {
    url.searchParams.set("question", state.question);
    for (const [k, v] of Object.entries(state.params || {})) if (v && !RESERVED.has(k)) url.searchParams.set(k, v);
  } else {
    url.searchParams.set("query", state.query);
  }
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
  const params = {};
  for (const [k, v] of p) if (!RESERVED.has(k)) params[k] = v;
  return { query: p.get("query"), question: p.get("question"), params, view: p.get("view") || null,
    infer: p.get("infer") !== "false" };
}

export function loadHistory() {
  try {
    const items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(items) ? items : [];
  } catch (e) {
    return [];
  }
}

export function remember(query, view, question, params) {
  const same = (item) => item.query === query && (item.question || null) === (question || null) &&
    JSON.stringify(item.params || {}) === JSON.stringify(params || {});
  const items = loadHistory().filter((item) => !same(item));
  items.unshift({ query, view, question: question || null, params: params || {}, time: new Date().toISOString() });
  try {
    window.localStorage.setItem(KEY, JSON.stringify(items.slice(0, LIMIT)));
  } catch (e) {
    // Storage full or disabled: history is a convenience, the run itself succeeded.
  }
  return items.slice(0, LIMIT);
}
