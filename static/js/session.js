/* The idle session timeout in the browser (issue 13), no inline code (strict Content-Security-Policy):
   - two minutes before the session ends, a warning with "Stay signed in" (POST /accounts/keepalive/);
   - once it has ended, or when an htmx request is answered 401 (screening.session_timeout), a notice
     "Signed out — your entries are kept" with a link to log in again and come back here;
   - the unsaved candidate form is kept in this tab's sessionStorage, for this user only, restored after
     logging in again and cleared when the server says it was saved (body[data-draft-saved]). */
(function () {
  "use strict";

  var body = document.body;
  var WARN_SECONDS = 120;
  var ACTIVITY_KEY = "nlx-session-activity"; // shared by the tabs: any request renews the session
  var DRAFT_PREFIX = "nlx-draft:";
  var user = body.dataset.userId || "";
  var idleSeconds = parseInt(body.dataset.sessionSeconds || "0", 10);

  function store(kind) {
    try {
      return window[kind];
    } catch (error) {
      return null;
    }
  }
  var local = store("localStorage");
  var tab = store("sessionStorage");

  /* --- drafts of the candidate form ------------------------------------------------------------ */

  function draftKey(path) {
    return DRAFT_PREFIX + user + ":" + path;
  }

  function forgetOtherUsers() {
    if (!tab || !user) { // the login page keeps the drafts for whoever logs in next: they are theirs or dropped
      return;
    }
    for (var index = tab.length - 1; index >= 0; index -= 1) {
      var key = tab.key(index);
      if (key && key.indexOf(DRAFT_PREFIX) === 0 && key.indexOf(DRAFT_PREFIX + user + ":") !== 0) {
        tab.removeItem(key);
      }
    }
  }

  function formValues(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.type === "file") {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        values.push([element.name, element.value, element.checked]);
      } else {
        values.push([element.name, element.value]);
      }
    });
    return values;
  }

  function restore(form, draft) {
    /* Formset rows added before the session ended are added again first. */
    Array.prototype.forEach.call(form.querySelectorAll("[data-formset-add]"), function (button) {
      var prefix = button.dataset.formsetAdd;
      var total = form.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
      var wanted = draft.values.filter(function (pair) { return pair[0] === prefix + "-TOTAL_FORMS"; })[0];
      var guard = 0;
      while (total && wanted && Number(total.value) < Number(wanted[1]) && guard < 50) {
        button.click();
        guard += 1;
      }
    });
    var changed = [];
    draft.values.forEach(function (entry) {
      var elements = form.querySelectorAll('[name="' + entry[0].replace(/"/g, '\\"') + '"]');
      Array.prototype.forEach.call(elements, function (element) {
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.value === entry[1] && element.checked !== entry[2]) {
            element.checked = entry[2];
            changed.push(element);
          }
        } else if (element.value !== entry[1]) {
          element.value = entry[1];
          changed.push(element);
        }
      });
    });
    changed.forEach(function (element) {
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return changed.length;
  }

  function setUpDraft() {
    forgetOtherUsers();
    var saved = body.dataset.draftSaved;
    if (saved && tab) {
      tab.removeItem(draftKey(saved));
    }
    var form = document.querySelector("form[data-candidate-form]");
    if (!form || !tab || !user) {
      return;
    }
    var key = draftKey(window.location.pathname);
    var text = tab.getItem(key);
    var draft = null;
    try {
      draft = text ? JSON.parse(text) : null;
    } catch (error) {
      draft = null;
    }
    if (draft && draft.user === user && restore(form, draft)) {
      var notice = document.getElementById("draft-restored");
      if (notice) {
        notice.querySelector("[data-draft-time]").textContent = draft.at || "";
        notice.hidden = false;
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          tab.removeItem(key);
          window.location.reload();
        });
      }
    }
    function keep() {
      var now = new Date();
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      tab.setItem(key, JSON.stringify({
        user: user, at: now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) + " " +
          pad(now.getHours()) + ":" + pad(now.getMinutes()),
        values: formValues(form),
      }));
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  }

  /* --- the idle timeout ------------------------------------------------------------------------ */

  var warning = document.getElementById("session-warning");
  var expired = document.getElementById("session-expired");
  var loaded = Date.now();
  var over = false;

  function touch() {
    loaded = Date.now();
    if (local) {
      local.setItem(ACTIVITY_KEY, String(loaded));
    }
  }

  function lastActivity() {
    var shared = local ? parseInt(local.getItem(ACTIVITY_KEY) || "0", 10) : 0;
    return Math.max(loaded, shared || 0);
  }

  function signedOut() {
    over = true;
    if (warning) {
      warning.hidden = true;
    }
    if (expired) {
      var login = expired.querySelector("[data-session-login]");
      login.href = login.dataset.loginUrl + "?next=" +
        encodeURIComponent(window.location.pathname + window.location.search).replace(/%2F/g, "/");
      expired.hidden = false;
      login.focus();
    }
  }

  function tick() {
    if (over) {
      return;
    }
    var left = Math.ceil((lastActivity() + idleSeconds * 1000 - Date.now()) / 1000);
    if (left <= 0) {
      signedOut();
      return;
    }
    if (left <= WARN_SECONDS) {
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      warning.querySelector("[data-session-countdown]").textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (warning.hidden) {
        warning.hidden = false;
        warning.querySelector("[data-session-keepalive]").focus();
      }
    } else {
      warning.hidden = true;
    }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function keepAlive() {
    fetch(warning.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.status === 204) {
        touch();
        tick();
      } else {
        signedOut();
      }
    }, function () { /* offline: the warning stays; the next tick tries nothing */ });
  }

  function setUpTimeout() {
    if (window.htmx) { // a 401 of an expired session is expected: nothing swapped, no error logged
      window.htmx.config.responseHandling.unshift({ code: "401", swap: false, error: false });
    }
    if (!idleSeconds || !warning || !expired) {
      return;
    }
    touch();
    warning.querySelector("[data-session-keepalive]").addEventListener("click", keepAlive);
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.status === 401 && xhr.getResponseHeader("X-Session-Expired")) {
        signedOut();
      } else if (xhr && xhr.status && xhr.status < 400) {
        touch();
      }
    });
    window.setInterval(tick, 1000);
  }

  setUpDraft();
  setUpTimeout();
})();
