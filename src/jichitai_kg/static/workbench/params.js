// The form of a competency question's parameters in the workbench: a government picker, a list
// of allowed values, or a text box, as the question's .rq header declares them.
import { collator } from "./terms.js";
import { t } from "./i18n.js";
import { el } from "./dom.js";


/** Draw the form for ``question`` into ``box`` with ``values``; returns a getter of the values. */
export function renderParams(box, question, values, governments) {
  box.replaceChildren();
  if (!question) {
    box.hidden = true;
    return () => ({});
  }
  box.hidden = false;
  const inputs = {};
  box.appendChild(el("legend", {}, `${t.params}: ${question.title}`));
  const intro = el("p", { class: "question-note", id: "question-note" });
  intro.textContent = question.description || "";
  box.appendChild(intro);
  for (const p of question.params) {
    const id = `param-${p.name}`;
    const label = el("label", { for: id }, `${p.name} (${p.required ? t.required : t.optional})`);
    let input;
    const choices = p.type === "government" && governments.length
      ? [...governments].sort((a, b) => collator.compare(a.label, b.label)).map((g) => [g.slug, `${g.label} (${g.ja ? `${g.ja}, ` : ""}${g.slug})`])
      : p.allowed.map((a) => [a, a]);
    if (choices.length) {
      input = el("select", { id, name: p.name });
      input.appendChild(el("option", { value: "" }, p.required ? t.choose : "—"));
      for (const [value, text] of choices) input.appendChild(el("option", { value }, text));
    } else {
      input = el("input", { id, name: p.name, type: "text", placeholder: p.description || "" });
    }
    if (p.required) input.required = true;
    input.value = values[p.name] || "";
    inputs[p.name] = input;
    const wrap = el("span", { class: "param" });
    wrap.append(label, input);
    box.appendChild(wrap);
  }
  return () => Object.fromEntries(Object.entries(inputs).filter(([, i]) => i.value).map(([k, i]) => [k, i.value]));
}

/** The names of required parameters without a value. */
export function missingParams(question, values) {
  return question.params.filter((p) => p.required && !values[p.name]).map((p) => p.name);
}
