/* Candidate form: add and remove formset rows, lab units per test, ULN prefill.
   No inline handlers anywhere (strict Content-Security-Policy); the server validates everything again. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-candidate-form]");
  if (!form) {
    return;
  }
  var labUnits = JSON.parse(form.dataset.labUnits || "{}");
  var referenceUlns = JSON.parse(form.dataset.referenceUlns || "{}");
  var reportingUnits = JSON.parse(form.dataset.reportingUnits || "{}");

  function field(row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  }

  function referenceUln(test, unit) {
    return (referenceUlns[test] || {})[unit] || "";
  }

  /* Only the units the protocol accepts for the row's test can be chosen. */
  function restrictUnits(row) {
    var test = field(row, "test");
    var unit = field(row, "unit");
    var allowed = labUnits[test.value];
    Array.prototype.forEach.call(unit.options, function (option) {
      var hide = Boolean(allowed) && option.value !== "" && allowed.indexOf(option.value) === -1;
      option.hidden = hide;
      option.disabled = hide;
    });
  }

  function remember(row) {
    row.dataset.test = field(row, "test").value;
    row.dataset.unit = field(row, "unit").value;
  }

  /* A new test picks the site's reporting unit; the ULN follows the site's reference range unless typed over. */
  function labChanged(row, changed) {
    var test = field(row, "test");
    var unit = field(row, "unit");
    var uln = field(row, "uln");
    var previous = referenceUln(row.dataset.test, row.dataset.unit);
    var allowed = labUnits[test.value] || [];
    if (changed === test && allowed.length && allowed.indexOf(unit.value) === -1) {
      unit.value = reportingUnits[test.value] || allowed[0];
    }
    restrictUnits(row);
    if (uln.value === "" || uln.value === previous) {
      uln.value = referenceUln(test.value, unit.value);
    }
    remember(row);
  }

  function setUpLabRow(row) {
    if (row.closest('[data-formset="labs"]')) {
      restrictUnits(row);
      remember(row);
    }
  }

  function addRow(prefix) {
    var formset = form.querySelector('[data-formset="' + prefix + '"]');
    var total = formset.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
    var maximum = Number(formset.querySelector('[name="' + prefix + '-MAX_NUM_FORMS"]').value);
    var body = formset.querySelector("tbody");
    var index = Number(total.value);
    if (index >= maximum) {
      return;
    }
    var html = document.getElementById(prefix + "-empty-row").innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__num__/g, String(body.rows.length + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = body.lastElementChild;
    setUpLabRow(row);
    row.querySelector("input:not([type=hidden]), select").focus();
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var row = target.closest("tr.formset-row");
    if (!row || !target.name) {
      return;
    }
    if (/-DELETE$/.test(target.name)) {
      row.classList.toggle("formset-row-deleted", target.checked);
    } else if (/-(test|unit)$/.test(target.name) && row.closest('[data-formset="labs"]')) {
      labChanged(row, target);
    }
  });

  Array.prototype.forEach.call(form.querySelectorAll("[data-formset-add]"), function (button) {
    button.addEventListener("click", function () {
      addRow(button.dataset.formsetAdd);
    });
  });

  Array.prototype.forEach.call(form.querySelectorAll("tr.formset-row"), setUpLabRow);
})();
