// How RDF terms look in the workbench: prefixed names linking to this server, literals with
// their language tag or datatype, blank nodes set apart.
const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(["integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger",
  "positiveInteger", "short", "byte", "gYear"].map((n) => XSD + n));

/** Japanese collation for every sort of the workbench (kana and kanji in dictionary order). */
export const collator = new Intl.Collator("ja", { numeric: true });

export function compact(iri, prefixes) {
  let best = null;
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
}

export function localHref(iri, config) {
  return iri.startsWith(config.base) ? config.localBase + iri.slice(config.base.length) : iri;
}

export function isNumeric(term) {
  return !!term && term.type !== "uri" && term.type !== "bnode" && NUMERIC.has(term.datatype || "");
}

/** The text a term sorts and filters by. */
export function termText(term, prefixes) {
  if (!term) return "";
  if (term.type === "uri") return compact(term.value, prefixes);
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}

function span(cls, text) {
  const s = document.createElement("span");
  s.className = cls;
  s.textContent = text;
  return s;
}

/** One table cell's content. ``labels`` maps IRIs to a label shown on hover. */
export function renderTerm(term, config, labels) {
  const frag = document.createDocumentFragment();
  if (!term) return frag;
  if (term.type === "uri" && !/^https?:\/\//i.test(term.value)) {
    // only http(s) IRIs become links: a javascript: or data: IRI stays text
    frag.appendChild(span("iri", "<" + term.value + ">"));
  } else if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = localHref(term.value, config);
    a.textContent = compact(term.value, config.prefixes);
    a.className = "iri";
    const label = labels && labels.get(term.value);
    a.title = label ? label + "\n" + term.value : term.value;
    frag.appendChild(a);
  } else if (term.type === "bnode") {
    frag.appendChild(span("bnode", "_:" + term.value));
  } else {
    frag.appendChild(span("lit", term.value));
    if (term["xml:lang"]) frag.appendChild(span("lang-tag", "@" + term["xml:lang"]));
    else if (term.datatype) frag.appendChild(span("datatype", "^^" + compact(term.datatype, config.prefixes)));
  }
  return frag;
}

/** Labels carried by the result itself: a column ``xLabel`` names the IRIs of column ``x``. */
export function labelsFromResult(vars, rows) {
  const labels = new Map();
  for (const v of vars) {
    if (!vars.includes(v + "Label")) continue;
    for (const row of rows) {
      const term = row[v], label = row[v + "Label"];
      if (term && term.type === "uri" && label && !labels.has(term.value)) labels.set(term.value, label.value);
    }
  }
  return labels;
}

// ------------------------------------------------------------------ N-Triples (CONSTRUCT/DESCRIBE)
const NT_TERM = /\s*(<[^>]*>|_:[A-Za-z0-9_.-]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;

function unescapeLiteral(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) => {
    if (e[0] === "u" || e[0] === "U") return String.fromCodePoint(parseInt(e.slice(1), 16));
    return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[e] ?? e;
  });
}

function ntTerm(token) {
  if (token[0] === "<") return { type: "uri", value: token.slice(1, -1) };
  if (token.startsWith("_:")) return { type: "bnode", value: token.slice(2) };
  const end = token.lastIndexOf('"');
  const term = { type: "literal", value: unescapeLiteral(token.slice(1, end)) };
  const rest = token.slice(end + 1);
  if (rest.startsWith("@")) term["xml:lang"] = rest.slice(1);
  else if (rest.startsWith("^^")) term.datatype = rest.slice(3, -1);
  return term;
}

/** N-Triples text → SPARQL-JSON-like rows with columns subject, predicate, object. */
export function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    const terms = [];
    NT_TERM.lastIndex = 0;
    let m;
    while (terms.length < 3 && (m = NT_TERM.exec(line))) terms.push(ntTerm(m[1]));
    if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
  }
  return rows;
}
