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

  /* The panel shows each result's unit and ULN beside its value; they are changed under "Units, ULNs and
     dates" (the row that holds the inputs: data-lab-settings). The marks follow what is chosen there. */
  function markSource(row) {
    var shown = row.dataset.labSettings && form.querySelector('[data-lab-row="' + row.dataset.labSettings + '"]');
    if (!shown) {
      return;
    }
    var unit = field(row, "unit");
    var uln = field(row, "uln");
    var source = field(row, "uln_source");
    shown.querySelector("[data-unit-shown]").textContent = unit.value ? unit.options[unit.selectedIndex].text : "";
    if (uln && source) {
      shown.querySelector("[data-uln-shown]").textContent = uln.value;
      shown.querySelector("[data-uln-badge]").hidden = source.value !== SITE_DEFAULT;
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
    markSource(row);
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
    showApplicable();
    row.querySelector("input:not([type=hidden]), select").focus();
  }

  /* Fields that do not apply with the answers given (data-applies, from screening/entry_conditions.py) are
     hidden, so they are not Tab stops; one that holds a value stays in sight, marked "does not apply". */
  function answer(name) {
    var control = form.querySelector('[name="' + name + '"]');
    return control ? control.value : "";
  }

  function holdsValue(box) {
    return Array.prototype.some.call(box.querySelectorAll("input, select, textarea"), function (control) {
      if (control.type === "hidden" || /-DELETE$/.test(control.name)) {
        return false;
      }
      return control.type === "checkbox" ? control.checked : control.value.trim() !== "";
    });
  }

  function showApplicable(changed) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-applies]"), function (box) {
      var condition = JSON.parse(box.dataset.applies);
      var prefix = box.dataset.appliesPrefix || "";
      var applies = Object.keys(condition).every(function (name) {
        return condition[name].indexOf(answer(prefix + name)) !== -1;
      });
      var kept = !applies && holdsValue(box);
      box.hidden = !applies && !kept && !box.contains(changed);  /* the field just cleared: hidden at the next change */
      var note = box.querySelector(":scope > [data-not-applicable]");
      if (note) {
        note.hidden = !kept;
      }
    });
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (/-uln$/.test(target.name || "")) {
      var row = target.closest("tr.formset-row");
      var source = field(row, "uln_source");
      if (source) {
        source.value = "report";
      }
      markSource(row);
    } else if (target.name === "labs_drawn_on") {
      showDrawDate();
    }
  });

  /* A date typed in ISO 8601's basic format (20260302, 20260310 0900) is shown in the extended form once the
     field is left: the same digits, punctuated by the pattern the server defines (which reads and checks it). */
  function showExtended(input) {
    var basic = input.dataset.isoBasic && new RegExp(input.dataset.isoBasic);
    var typed = input.value.trim();
    if (basic && basic.test(typed)) {
      input.value = typed.replace(basic, input.dataset.isoShown);
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    showExtended(target);
    showApplicable(target);
    if (target.name === "sex") {
      Array.prototype.forEach.call(labRows(), showSiteDefault);
      return;
    }
    var row = target.closest("tr.formset-row, tr.lab-row");
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
  showApplicable();
  Array.prototype.forEach.call(form.querySelectorAll("input[data-date]"), addPicker);
  showDrawDate();
})();
