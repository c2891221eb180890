/* Candidate form: add and remove formset rows, lab units per test, the site-default ULN shown and marked,
   the blood-draw date shown in each result's date, a date picker beside typed dates.
   No inline handlers anywhere (strict Content-Security-Policy); the server reads and validates everything
   again and never fills in a value the page did not show. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-candidate-form]");
  if (!form) {
    return;
  }
  var labUnits = JSON.parse(form.dataset.labUnits || "{}");
  var referenceUlns = JSON.parse(form.dataset.referenceUlns || "{}");  /* sex -> test -> unit -> ULN */
  var reportingUnits = JSON.parse(form.dataset.reportingUnits || "{}");
  var SITE_DEFAULT = "site_default";

  function field(row, name) {
    return row.querySelector('[name$="-' + name + '"]');
  }

  function sex() {
    var select = form.querySelector('[name="sex"]');
    return select ? select.value : "";
  }

  function siteUln(test, unit) {
    return ((referenceUlns[sex()] || {})[test] || {})[unit] || "";
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

  /* The ULN the page filled in follows the site's reference range (test, unit, sex) and is marked
     "site default"; once the coordinator types one it is the report's and is left alone. */
  function showSiteDefault(row) {
    var uln = field(row, "uln");
    var source = field(row, "uln_source");
    if (!uln || !source || source.value === "report" || (uln.value !== "" && source.value !== SITE_DEFAULT)) {
      return;
    }
    uln.value = siteUln(field(row, "test").value, field(row, "unit").value);
    source.value = uln.value === "" ? "" : SITE_DEFAULT;
    markSource(row);
  }

  function markSource(row) {
    var badge = row.querySelector("[data-uln-badge]");
    var source = field(row, "uln_source");
    if (badge && source) {
      badge.hidden = source.value !== SITE_DEFAULT;
    }
  }

  function labChanged(row, changed) {
    var test = field(row, "test");
    var unit = field(row, "unit");
    var allowed = labUnits[test.value] || [];
    if (changed === test && allowed.length && allowed.indexOf(unit.value) === -1) {
      unit.value = reportingUnits[test.value] || allowed[0];
    }
    restrictUnits(row);
    showSiteDefault(row);
  }

  function labRows() {
    return form.querySelectorAll('[data-formset="labs"] tr.formset-row');
  }

  function setUpLabRow(row) {
    if (row.closest('[data-formset="labs"]')) {
      restrictUnits(row);
      markSource(row);
    }
  }

  /* Each result's own date shows the blood-draw date it takes when left blank. */
  function showDrawDate() {
    var drawn = form.querySelector('[name="labs_drawn_on"]');
    if (!drawn) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll('[data-formset="labs"] [name$="-collected"]'), function (input) {
      input.placeholder = drawn.value || "YYYY-MM-DD";
    });
  }

  /* A picker for pointer users beside each typed date (keyboard users type 2026-03-02; no extra Tab stop). */
  function addPicker(input) {
    if (input.dataset.pickerReady || !("showPicker" in HTMLInputElement.prototype)) {
      return;
    }
    input.dataset.pickerReady = "1";
    var picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "date-picker-proxy";
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.tabIndex = -1;
    button.className = "btn btn-link btn-sm date-picker-button";
    button.title = form.dataset.pickDate || "Pick a date";
    button.setAttribute("aria-hidden", "true");
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';
    button.addEventListener("click", function () {
      picker.value = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : "";
      picker.showPicker();
    });
    picker.addEventListener("change", function () {
      input.value = picker.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var wrap = document.createElement("span");
    wrap.className = "date-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(picker);
    wrap.appendChild(button);
  }

  function addRow(prefix) {
    var formset = form.querySelector('[data-formset="' + prefix + '"]');
    var total = formset.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
    var maximum = Number(formset.querySelector('[name="' + prefix + '-MAX_NUM_FORMS"]').value);
    var body = formset.querySelector("table.formset-" + prefix + " tbody");
    var index = Number(total.value);
    if (index >= maximum) {
      return;
    }
    var html = document.getElementById(prefix + "-empty-row").innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__num__/g, String(body.rows.length + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var head = formset.querySelector("[data-further-head]");
    if (head) {
      head.hidden = false;
    }
    var row = body.lastElementChild;
    setUpLabRow(row);
    Array.prototype.forEach.call(row.querySelectorAll("input[data-date]"), addPicker);
    showDrawDate();
    row.querySelector("input:not([type=hidden]), select").focus();
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (/-uln$/.test(target.name || "")) {
      var row = target.closest("tr.formset-row");
      var source = field(row, "uln_source");
      if (source) {
        source.value = "report";
        markSource(row);
      }
    } else if (target.name === "labs_drawn_on") {
      showDrawDate();
    }
  });

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "sex") {
      Array.prototype.forEach.call(labRows(), showSiteDefault);
      return;
    }
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

  /* "Fix: Weight (kg)" in the checklist or the error summary takes the cursor to the field. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#id_"]');
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target && form.contains(target)) {
      event.preventDefault();
      var details = target.closest("details");
      if (details) {
        details.open = true;
      }
      target.focus();
    }
  });

  Array.prototype.forEach.call(form.querySelectorAll("tr.formset-row"), setUpLabRow);
  Array.prototype.forEach.call(form.querySelectorAll("input[data-date]"), addPicker);
  showDrawDate();
})();
