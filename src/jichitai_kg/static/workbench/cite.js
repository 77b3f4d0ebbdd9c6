// "Cite this result": dataset version, query, time and a SHA-256 of the canonical result
// (sorted keys, no spaces, UTF-8: the same bytes jichitai_kg.query.caching.cache.result_digest hashes).

import { sha256Fallback } from "./sha256.js";

export function canonicalJSON(value) {
  if (Array.isArray(value)) return "[" + value.map(canonicalJSON).join(",") + "]";
  if (value && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonicalJSON(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

export async function sha256Hex(text) {
  if (!(window.crypto && window.crypto.subtle)) return sha256Fallback(text); // plain-HTTP pages
  const digest = await window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function citation({ version, query, time, digest, url }) {
  const year = time.slice(0, 4);
  const text = `jichitai-kg (${year}). Result of a SPARQL query, dataset version ${version || "unknown"}, ` +
    `retrieved ${time}. ${url}. SHA-256 ${digest || "n/a"}.`;
  const key = "jichitaikg" + time.replace(/\D/g, "").slice(0, 14);
  const bibtex = `@misc{${key},\n  title = {jichitai-kg: result of a SPARQL query},\n  year = {${year}},\n` +
    `  howpublished = {\\url{${url}}},\n  note = {Dataset version ${version || "unknown"}; retrieved ${time}; ` +
    `SHA-256 of the result ${digest || "n/a"}},\n}`;
  const csl = JSON.stringify({ id: key, type: "dataset", title: "jichitai-kg: result of a SPARQL query",
    version: version || undefined, URL: url, accessed: { "date-parts": [[+year, +time.slice(5, 7), +time.slice(8, 10)]] },
    note: `SHA-256 ${digest || "n/a"}\nQuery:\n${query}` }, null, 2);
  return { text, bibtex, csl };
}
