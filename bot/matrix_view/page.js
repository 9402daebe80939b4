// The RACI page: draws only the rows in view (a 2,000-row matrix opens at once), filters as you type,
// switches team. Data comes from the inert JSON element; names reach the page only through textContent
// and title, never as HTML.
(function () {
  "use strict";
  var ROW_HEIGHT = 24, OVERSCAN = 12; // px per row (page.css), rows drawn beyond the visible ones
  var data = JSON.parse(document.getElementById("raci-data").textContent);
  var scroller = document.getElementById("scroller");
  var thead = document.querySelector("#grid thead"), tbody = document.querySelector("#grid tbody");
  var filter = document.getElementById("filter"), picker = document.getElementById("team");
  var count = document.getElementById("count");
  var scope = data.scopes[data.chosen], shownRows = [], shownCols = [], drawn = null, pending = false;

  function norm(text) { return text.toLowerCase().split(/\s+/).filter(Boolean).join(" "); }

  function el(tag, text, className, title) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    if (title) { node.title = title; }
    return node;
  }

  function select() {
    var wanted = norm(filter.value), nCols = data.columns.length, i, j, k, cells;
    var colHit = [], showCol = [];
    for (j = 0; j < nCols; j++) {
      colHit[j] = !wanted || data.columns[j].search.indexOf(wanted) >= 0 ||
        scope.columns[j].search.indexOf(wanted) >= 0;
      showCol[j] = colHit[j];
    }
    shownRows = [];
    for (i = 0; i < data.rows.length; i++) {
      var rowHit = !wanted || data.rows[i].search.indexOf(wanted) >= 0, show = rowHit;
      cells = data.rows[i].cells;
      for (k = 0; k < cells.length; k++) {
        if (rowHit) { showCol[cells[k][0]] = true; } else if (colHit[cells[k][0]]) { show = true; }
      }
      if (show) { shownRows.push(i); }
    }
    shownCols = [];
    for (j = 0; j < nCols; j++) { if (showCol[j]) { shownCols.push(j); } }
    count.textContent = "Showing " + shownRows.length + " of " + data.rows.length + " activities, " +
      shownCols.length + " of " + nCols + " roles and people · " + scope.name;
    drawHead();
    scroller.scrollTop = 0;
    drawn = null;
    drawBody();
  }

  function drawHead() {
    var tr = el("tr");
    tr.appendChild(el("th", "Activity", "corner"));
    shownCols.forEach(function (j) {
      var column = data.columns[j], info = scope.columns[j];
      var th = el("th", "", "col" + (column.person ? " person" : "") + (info.problem ? " problem" : ""), info.title);
      th.appendChild(el("span", column.name));
      tr.appendChild(th);
    });
    thead.replaceChildren(tr);
  }

  function spacer(rows) {
    var tr = el("tr", "", "spacer"), td = el("td");
    td.colSpan = shownCols.length + 1;
    td.style.height = rows * ROW_HEIGHT + "px";
    tr.appendChild(td);
    return tr;
  }

  function drawBody() {
    pending = false;
    var first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    var last = Math.min(shownRows.length, first + Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN);
    if (drawn && drawn[0] === first && drawn[1] === last) { return; }
    drawn = [first, last];
    var fragment = document.createDocumentFragment();
    if (first > 0) { fragment.appendChild(spacer(first)); }
    for (var n = first; n < last; n++) { fragment.appendChild(drawRow(shownRows[n])); }
    if (last < shownRows.length) { fragment.appendChild(spacer(shownRows.length - last)); }
    tbody.replaceChildren(fragment);
  }

  function drawRow(i) {
    var row = data.rows[i], gap = scope.rows[String(i)], letters = {}, tr = el("tr");
    row.cells.forEach(function (cell) { letters[cell[0]] = cell; });
    tr.appendChild(el("th", row.name, gap ? "gap" : "", gap));
    shownCols.forEach(function (j) {
      var cell = letters[j];
      tr.appendChild(cell ? el("td", cell[1], cell[2]) : el("td"));
    });
    return tr;
  }

  scroller.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(drawBody); }
  });
  window.addEventListener("resize", function () { drawn = null; drawBody(); });
  filter.addEventListener("input", select);
  if (picker) { picker.addEventListener("change", function () { scope = data.scopes[Number(picker.value)]; select(); }); }
  select();
})();
