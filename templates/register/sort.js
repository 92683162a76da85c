/* casefile register: sort the table by any column (click or Enter/Space on its heading).
   Runs offline; reads only data-sort attributes written by casefile. */
(function () {
  "use strict";
  var table = document.getElementById("register");
  if (!table || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var status = document.getElementById("sort-status");
  Array.prototype.forEach.call(heads, function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.getAttribute("data-type") === "number";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort") || "";
        var y = b.cells[column].getAttribute("data-sort") || "";
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "en", { numeric: true });
        if (!ascending) { order = -order; }
        return order || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(heads, function (other) {
        if (other !== th) { other.removeAttribute("aria-sort"); }
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      if (status) {
        status.textContent = "Sorted by " + button.getAttribute("data-label") + ", " +
          (ascending ? "ascending" : "descending") + ".";
      }
    });
  });
}());
