// The one bundle the workbench loads: CodeMirror 6 with the SPARQL mode, completion and lint.
// Built by tools/build_vendor.sh into src/jichitai_kg/static/vendor/codemirror/codemirror.js.
export { EditorView, keymap } from "@codemirror/view";
export { EditorState, Prec } from "@codemirror/state";
export { basicSetup } from "codemirror";
export { StreamLanguage } from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
export { autocompletion } from "@codemirror/autocomplete";
export { setDiagnostics, lintGutter } from "@codemirror/lint";
