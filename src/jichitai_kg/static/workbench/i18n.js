// Interface strings of the workbench scripts: the message catalog's "workbench" section
// (src/jichitai_kg/translations/<lang>/LC_MESSAGES/messages.po), which the page renders in the
// page's language as JSON in <script type="application/json" id="jkg-strings"> (_strings.html).
// A key missing from the page shows as the key itself, never as "undefined".

export const lang = document.documentElement.lang === "en" ? "en" : "ja";
const block = document.getElementById("jkg-strings");
const strings = block ? JSON.parse(block.textContent) : {};
export const t = new Proxy(strings, { get: (all, key) => (key in all ? all[key] : String(key)) });
