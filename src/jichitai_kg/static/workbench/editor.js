// The SPARQL editor: CodeMirror 6 (vendored bundle) with highlighting, bracket matching,
// completion of prefixes and ontology terms (ja/en labels), Ctrl/Cmd+Enter and error marks.
import { EditorView, EditorState, Prec, StreamLanguage, autocompletion, basicSetup, keymap, lintGutter,
  setDiagnostics, sparql } from "../vendor/codemirror/codemirror.js";

const WORD = /[A-Za-z_][\w-]*:?[\w-]*$/;

function termOptions(terms, prefixes, lang) {
  const options = [];
  for (const term of terms) {
    let name = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (term.iri.startsWith(ns) && term.iri.length > ns.length) { name = prefix + ":" + term.iri.slice(ns.length); break; }
    }
    if (!name) continue;
    const primary = lang === "en" ? term.en : term.ja, secondary = lang === "en" ? term.ja : term.en;
    options.push({ label: name, type: term.kind === "class" ? "class" : "property",
      detail: [primary, secondary].filter(Boolean).join(" / "), info: term.iri });
  }
  return options;
}

function declarePrefix(view, prefix, ns) {
  const text = view.state.doc.toString();
  if (new RegExp(`PREFIX\\s+${prefix}:`, "i").test(text)) return;
  view.dispatch({ changes: { from: 0, insert: `PREFIX ${prefix}: <${ns}>\n` } });
}

function completionSource(getTerms, prefixes, lang) {
  return (context) => {
    const word = context.matchBefore(WORD);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const line = context.state.doc.lineAt(context.pos).text.slice(0, context.pos - context.state.doc.lineAt(context.pos).from);
    if (/PREFIX\s+[\w-]*$/i.test(line)) {
      return { from: word.from, options: Object.entries(prefixes).map(([p, ns]) =>
        ({ label: `${p}: <${ns}>`, type: "namespace", apply: `${p}: <${ns}>` })) };
    }
    const options = termOptions(getTerms(), prefixes, lang).map((o) => ({ ...o, apply: (view, completion, from, to) => {
      view.dispatch({ changes: { from, to, insert: completion.label } });
      const prefix = completion.label.split(":")[0];
      declarePrefix(view, prefix, prefixes[prefix]);
    } }));
    for (const [p, ns] of Object.entries(prefixes)) {
      options.push({ label: p + ":", type: "namespace", detail: ns, apply: (view, completion, from, to) => {
        view.dispatch({ changes: { from, to, insert: p + ":" } });
        declarePrefix(view, p, ns);
      } });
    }
    return { from: word.from, options, validFor: /^[\w:-]*$/ };
  };
}

/** ``error at 4:2: expected …`` (pyoxigraph's message) → {line, column}. */
export function errorPosition(message) {
  const m = /at (\d+):(\d+)/.exec(message || "");
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/** An error answer (plain text, or JSON with detail/line/column/token) → {message, line, column, token}. */
export function readError(text) {
  try {
    const j = JSON.parse(text);
    if (j && typeof j === "object") {
      const message = j.detail || j.message || j.error || text;
      const pos = j.line ? { line: j.line, column: j.column || 1 } : errorPosition(message);
      return { message, ...(pos || {}), token: j.token || null };
    }
  } catch (e) {
    // plain text: the position is in the sentence
  }
  return { message: text, ...(errorPosition(text) || {}), token: null };
}

export function createEditor(textarea, { onRun, prefixes, lang, getTerms, label, onChange }) {
  // CodeMirror injects its styles; in a shadow root it uses constructed style sheets, which
  // the page's CSP (default-src 'self', no inline styles) allows, where a <style> tag is refused.
  const host = document.createElement("div");
  host.className = "editor";
  host.id = "editor";
  textarea.before(host);
  textarea.hidden = true;
  const root = host.attachShadow({ mode: "open" });
  const sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("editor.css", import.meta.url).href;
  const parent = document.createElement("div");
  root.append(sheet, parent);
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }])),
        basicSetup,
        StreamLanguage.define(sparql),
        autocompletion({ override: [completionSource(getTerms, prefixes, lang)] }),
        lintGutter(),
        EditorView.lineWrapping, // no sideways scrolling region at phone width
        EditorView.contentAttributes.of({ "aria-label": label || "SPARQL", "aria-multiline": "true" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) {
            textarea.value = u.state.doc.toString();
            if (onChange) onChange();
          }
        }),
      ],
    }),
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    focus() { view.focus(); },
    clearErrors() { view.dispatch(setDiagnostics(view.state, [])); },
    /** Mark the parser's error at its line and column (over its token when the server names
     * it); returns whether a position was found. */
    markError(message, where) {
      const pos = where && where.line ? where : errorPosition(message);
      if (!pos) return false;
      const doc = view.state.doc;
      const line = doc.line(Math.min(Math.max(pos.line, 1), doc.lines));
      // The parser points at the character it stumbled on; past the line's end, at its last one.
      let from = Math.min(line.from + Math.max(pos.column - 1, 0), line.to);
      if (from === line.to && line.length > 0) from -= 1;
      const token = where && where.token && line.text.slice(from - line.from).startsWith(where.token) ? where.token : null;
      const to = Math.min(from + (token ? token.length : 1), line.to);
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
      return true;
    },
  };
}
