// The query page: run the editor's query against /sparql and show the answer as a table.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var select = document.getElementById("examples");
  var infer = document.getElementById("infer");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  // Configuration comes as JSON data, not as a script: the page allows no inline script (CSP).
  var config = JSON.parse(document.getElementById("jkg-config").textContent);

  function params(extra) {
    var p = new URLSearchParams();
    p.set("query", textarea.value);
    if (!infer.checked) p.set("infer", "false");
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && /^https?:\/\//i.test(term.value)) {
      // only http(s) IRIs become links: a javascript: or data: IRI stays text
      var a = document.createElement("a");
      a.href = term.value; a.textContent = term.value; td.appendChild(a);
    } else if (term.type === "uri") {
      td.textContent = "<" + term.value + ">";
    } else {
      td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    }
    return td;
  }

  function render(data) {
    results.innerHTML = "";
    if (typeof data.boolean === "boolean") {
      results.textContent = String(data.boolean);
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table"), tr = document.createElement("tr");
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = "?" + v; tr.appendChild(th); });
    table.appendChild(tr);
    rows.forEach(function (b) {
      var row = document.createElement("tr");
      vars.forEach(function (v) { row.appendChild(cell(b[v])); });
      table.appendChild(row);
    });
    status.textContent = "(" + rows.length + " " + results.dataset.rowsLabel + ")";
    results.appendChild(table);
  }

  function run(event) {
    if (event) event.preventDefault();
    status.textContent = "…";
    fetch(config.endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: params().toString()
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (text) {
        if (!resp.ok) { results.innerHTML = ""; status.textContent = resp.status;
          var pre = document.createElement("pre"); pre.className = "error"; pre.textContent = text; results.appendChild(pre); return; }
        if (type.indexOf("json") >= 0) { render(JSON.parse(text)); return; }
        results.innerHTML = ""; status.textContent = "";
        var raw = document.createElement("pre"); raw.className = "raw"; raw.textContent = text; results.appendChild(raw);
      });
    }).catch(function (err) { status.textContent = String(err); });
  }

  select.addEventListener("change", function () {
    config.examples.forEach(function (ex) {
      if (ex.id === select.value) textarea.value = ex.query;
    });
  });
  document.querySelectorAll("a.dl").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      window.location = config.endpoint + "?" + params({format: a.dataset.format}).toString();
    });
  });
  form.addEventListener("submit", run);
  if (config.autorun) run();
})();
