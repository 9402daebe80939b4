// Filter and team switcher for the RACI page. Data comes from the inert JSON element; text only ever
// reaches the page through textContent and title, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("raci-data").textContent);
  var table = document.getElementById("grid");
  var headers = table.tHead.rows[0].cells; // [corner, column 0, column 1, ...]
  var rows = table.tBodies[0].rows;
  var filter = document.getElementById("filter");
  var picker = document.getElementById("team");
  var count = document.getElementById("count");
  var hiddenColumns = document.createElement("style");
  document.head.appendChild(hiddenColumns);
  var scope = data.scopes[data.chosen];

  function norm(text) { return text.toLowerCase().split(/\s+/).filter(Boolean).join(" "); }

  function apply() {
    var wanted = norm(filter.value);
    var nCols = data.columns.length, nRows = data.rows.length;
    var colHit = new Array(nCols), rowHit = new Array(nRows), showCol = new Array(nCols), i, j, cols;
    for (j = 0; j < nCols; j++) {
      colHit[j] = !wanted || data.columns[j].search.indexOf(wanted) >= 0 ||
        scope.columns[j].search.indexOf(wanted) >= 0;
      showCol[j] = colHit[j];
    }
    var shown = 0;
    for (i = 0; i < nRows; i++) {
      rowHit[i] = !wanted || data.rows[i].search.indexOf(wanted) >= 0;
      var show = rowHit[i];
      cols = data.rows[i].cols;
      for (j = 0; j < cols.length; j++) {
        if (rowHit[i]) { showCol[cols[j]] = true; }
        if (!show && wanted && colHit[cols[j]]) { show = true; }
      }
      if (rows[i].hidden === show) { rows[i].hidden = !show; }
      if (show) { shown++; }
    }
    var rules = [], shownCols = 0;
    for (j = 0; j < nCols; j++) {
      if (showCol[j]) { shownCols++; } else { rules.push("#grid tr>:nth-child(" + (j + 2) + ")"); }
    }
    hiddenColumns.textContent = rules.length ? rules.join(",") + "{display:none}" : "";
    count.textContent = "Showing " + shown + " of " + nRows + " activities, " + shownCols + " of " + nCols +
      " roles and people · " + scope.name;
  }

  function switchScope(index) {
    scope = data.scopes[index];
    for (var j = 0; j < scope.columns.length; j++) {
      var th = headers[j + 1];
      th.title = scope.columns[j].title;
      th.classList.toggle("problem", scope.columns[j].problem);
    }
    for (var i = 0; i < rows.length; i++) {
      var head = rows[i].cells[0], gap = scope.rows[String(i)];
      head.classList.toggle("gap", !!gap);
      head.title = gap || "";
    }
    apply();
  }

  filter.addEventListener("input", apply);
  if (picker) { picker.addEventListener("change", function () { switchScope(Number(picker.value)); }); }
  apply();
})();
