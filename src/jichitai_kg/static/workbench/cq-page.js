// A competency question's page: draw the view its .rq header declares above the table.
import { VIEWS, parseViewSpec } from "./charts.js";

const data = JSON.parse(document.getElementById("cq-data").textContent);
const spec = parseViewSpec(data.view);
const render = VIEWS[spec.view];
const box = document.getElementById("cq-chart");
if (render && box) {
  render(box, data.vars, data.rows, { prefixes: data.prefixes }, spec);
}
