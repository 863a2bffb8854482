// The comparison matrix's views and cell details. Everything it shows is already in the
// page, rendered and escaped by the generator: this script only shows, hides, reorders
// and copies elements (cloneNode, textContent), so no text from the data is ever parsed
// as HTML here. Without it the page is a complete table whose cells link to the findings.
(function () {
  "use strict";

  var form = document.querySelector("[data-matrix-controls]");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-matrix]"));
  var dialog = document.querySelector("[data-cell-dialog]");
  if (!form || !tables.length) return;

  var PARAMS = ["lens", "status", "access", "sort", "view", "compare"];
  var all = function (root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); };

  // --- state: the URL's query is the one source of truth -----------------------------

  function read() {
    var query = new URLSearchParams(window.location.search);
    var state = {};
    PARAMS.forEach(function (name) { state[name] = query.get(name) || ""; });
    state.compare = state.compare ? state.compare.split(",").filter(Boolean).slice(0, 3) : [];
    return state;
  }

  function write(state) {
    var query = new URLSearchParams();
    PARAMS.forEach(function (name) {
      var value = name === "compare" ? state.compare.join(",") : state[name];
      if (value) query.set(name, value);
    });
    var search = query.toString();
    var address = window.location.pathname + (search ? "?" + search : "");
    window.history.replaceState(null, "", address);
    form.querySelector("[data-share]").setAttribute("href", address);
  }

  function fromForm() {
    var state = {};
    ["lens", "status", "access", "sort", "view"].forEach(function (name) { state[name] = form.elements[name].value; });
    state.compare = all(form, "input[name=compare]:checked").map(function (box) { return box.value; }).slice(0, 3);
    return state;
  }

  function toForm(state) {
    ["lens", "status", "access", "sort", "view"].forEach(function (name) {
      var select = form.elements[name];
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === state[name]; })
        ? state[name] : "";
    });
    all(form, "input[name=compare]").forEach(function (box) { box.checked = state.compare.indexOf(box.value) >= 0; });
  }

  // --- applying a state ---------------------------------------------------------------

  function apply(state) {
    document.body.setAttribute("data-matrix-view", state.view || "auto");
    tables.forEach(function (table) {
      all(table, "[data-lens]").forEach(function (el) {
        el.hidden = Boolean(state.lens) && el.getAttribute("data-lens") !== state.lens;
      });
      all(table, "[data-access]").forEach(function (el) {
        if (el.hidden && state.lens && el.getAttribute("data-lens") !== state.lens) return;
        el.hidden = Boolean(state.access) && el.getAttribute("data-access") !== state.access;
      });
      all(table, "[data-status]").forEach(function (cell) {
        cell.classList.toggle("is-dimmed", Boolean(state.status) && cell.getAttribute("data-status") !== state.status);
      });
    });
    sortRows(state.sort);
    compare(state);
  }

  function sortRows(order) {
    var table = tables[0];
    var body = table.tBodies[0];
    var rows = all(body, "tr[data-initiative]");
    if (!rows.length) return;
    rows.forEach(function (row, index) { if (!row.hasAttribute("data-order")) row.setAttribute("data-order", index); });
    rows.sort(function (a, b) {
      if (order === "disclosed") return b.getAttribute("data-disclosed") - a.getAttribute("data-disclosed");
      if (order === "name") return a.getAttribute("data-name").localeCompare(b.getAttribute("data-name"));
      return a.getAttribute("data-order") - b.getAttribute("data-order");
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  // --- side by side: the chosen initiatives' cells, question by question ----------------

  function compare(state) {
    var section = document.querySelector("[data-compare]");
    var holder = document.querySelector("[data-compare-table]");
    if (!section || !holder) return;
    holder.textContent = "";
    section.hidden = state.compare.length < 2;
    if (section.hidden) return;
    var byQuestion = document.querySelector(".matrix--questions");
    var heads = all(byQuestion, "thead th[data-initiative]");
    var chosen = state.compare.filter(function (id) {
      return heads.some(function (th) { return th.getAttribute("data-initiative") === id; });
    });
    var table = document.createElement("table");
    table.className = "compare__table";
    var head = table.createTHead().insertRow();
    head.appendChild(document.createElement("td"));
    chosen.forEach(function (id) {
      var th = document.createElement("th");
      th.scope = "col";
      var source = heads.filter(function (h) { return h.getAttribute("data-initiative") === id; })[0].querySelector("a");
      var name = document.createElement("a");
      name.href = source.getAttribute("href");
      name.textContent = source.textContent;
      th.appendChild(name);
      head.appendChild(th);
    });
    var body = table.createTBody();
    all(byQuestion, "tbody tr[data-lens]").forEach(function (source) {
      if (state.lens && source.getAttribute("data-lens") !== state.lens) return;
      var row = body.insertRow();
      row.appendChild(source.querySelector("th").cloneNode(true));
      chosen.forEach(function (id) {
        var td = row.insertCell();
        var cell = source.querySelector('td[data-initiative="' + id + '"]');
        var link = cell && cell.querySelector("a[data-detail]");
        var detail = link && document.getElementById(link.getAttribute("data-detail"));
        if (!detail) { td.textContent = "Not assessed"; return; }
        ["cell-detail__readings", "evidence__quote", "evidence__cite"].forEach(function (name) {
          var part = detail.querySelector("." + name);
          if (part) td.appendChild(part.cloneNode(true));
        });
        var more = document.createElement("a");
        more.href = link.getAttribute("href");
        more.textContent = "The full finding";
        td.appendChild(more);
      });
    });
    holder.appendChild(table);
  }

  // --- a cell's detail in place -------------------------------------------------------

  function open(link) {
    var detail = document.getElementById(link.getAttribute("data-detail"));
    if (!detail || !dialog || typeof dialog.showModal !== "function") return false;
    var copy = detail.cloneNode(true);
    copy.removeAttribute("id");
    var title = copy.querySelector(".cell-detail__title");
    var body = dialog.querySelector(".cell-dialog__body");
    body.textContent = "";
    body.appendChild(copy);
    dialog.showModal(); // modal: Escape closes it and focus returns to the cell
    if (title) {
      title.id = "cell-dialog-title";
      title.tabIndex = -1;
      title.focus(); // a screen reader starts at the top of the detail
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-detail]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
    if (open(link)) event.preventDefault();
  });
  if (dialog) {
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
  }

  // --- wiring -------------------------------------------------------------------------

  form.hidden = false;
  form.addEventListener("change", function () {
    var state = fromForm();
    write(state);
    apply(state);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var initial = read();
  toForm(initial);
  write(initial);
  apply(initial);
})();
