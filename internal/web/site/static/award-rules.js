// The award programme form (/awards/new, /awards/programmes/{id}/edit):
// the live total of the weights, buttons that add rows, and only the
// chosen money rule's fields shown. The form works without this file:
// it then shows a few blank rows and every money field.
(function () {
  "use strict";
  var form = document.getElementById("rules-form");
  if (!form) { return; }
  var zh = document.documentElement.lang !== "en";

  function weights() {
    var sum = 0, out = document.getElementById("weight-sum"), note = document.getElementById("weight-note");
    form.querySelectorAll("input[name=term_weight]").forEach(function (el) {
      var v = parseInt(el.value, 10);
      if (!isNaN(v)) { sum += v; }
    });
    out.textContent = String(sum);
    out.className = sum === 100 ? "ok" : "bad";
    if (sum === 100) {
      note.textContent = zh ? "权重合计 100，符合要求。" : "Weights sum to 100.";
    } else if (sum < 100) {
      note.textContent = zh ? "权重合计 " + sum + "，还差 " + (100 - sum) + "。" : "Weights sum to " + sum + ": " + (100 - sum) + " short.";
    } else {
      note.textContent = zh ? "权重合计 " + sum + "，超出 " + (sum - 100) + "。" : "Weights sum to " + sum + ": " + (sum - 100) + " too many.";
    }
  }

  function addRow(id) {
    var body = document.querySelector("#" + id + " tbody");
    var last = body.lastElementChild;
    var row = last.cloneNode(true);
    var n = body.children.length + 1;
    row.querySelectorAll("input").forEach(function (el) {
      el.value = "";
      el.removeAttribute("aria-invalid");
      var label = el.getAttribute("aria-label");
      if (label) { el.setAttribute("aria-label", label.replace(/\d+$/, String(n))); }
    });
    row.querySelectorAll("select").forEach(function (el) {
      el.selectedIndex = 0;
      el.removeAttribute("aria-invalid");
      var label = el.getAttribute("aria-label");
      if (label) { el.setAttribute("aria-label", label.replace(/\d+$/, String(n))); }
    });
    body.appendChild(row);
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  function money() {
    var chosen = form.querySelector("input[name=money_kind]:checked");
    form.querySelectorAll("[data-money]").forEach(function (el) {
      el.hidden = !chosen || el.getAttribute("data-money") !== chosen.value;
    });
  }

  function unit() {
    var sel = document.getElementById("unit");
    var label = sel.options[sel.selectedIndex].getAttribute("data-label");
    var text = zh ? "（" + label + "）" : " (" + label + ")";
    form.querySelectorAll(".unit").forEach(function (el) { el.textContent = text; });
  }

  form.querySelectorAll("button[data-add]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { addRow(b.getAttribute("data-add")); weights(); });
  });
  form.addEventListener("input", function (e) {
    if (e.target.name === "term_weight") { weights(); }
  });
  form.addEventListener("change", function (e) {
    if (e.target.name === "money_kind") { money(); }
    if (e.target.id === "unit") { unit(); }
  });
  weights();
  money();
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
