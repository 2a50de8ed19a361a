// The agents' field app in the page (docs/design/agents.md §5): installs the service worker, keeps every form the
// agent sends in the phone's outbox (field-db.js) with a client token, sends it now or when the connection returns
// (the 'online' event, "Kirim sekarang", the service worker's background sync) and shows what the server answered.
(function () {
  "use strict";
  var app = document.getElementById("field-app");
  if (!app || !window.FieldDB || !window.indexedDB) { return; }
  var API = app.dataset.api, OUTBOX = app.dataset.outbox;
  var sending = null;

  function csrf() {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf("csrftoken=") === 0; })[0];
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }

  function request(entry) {
    return {headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
            body: JSON.stringify({token: entry.token, kind: entry.kind, data: entry.data,
                                  entered_at: entry.entered_at})};
  }

  // Send one entry. Offline, the service worker keeps it in Workbox's queue (background sync) and the page does
  // not try; online, a failed request is queued by the service worker as well.
  function send(entry) {
    var req = request(entry);
    if (!navigator.onLine) {
      var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (worker) { worker.postMessage({type: "field-queue", headers: req.headers, body: req.body}); }
      return FieldDB.settle(entry.token, 0, null);
    }
    return fetch(API, {method: "POST", credentials: "same-origin", headers: req.headers, body: req.body})
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          return FieldDB.settle(entry.token, response.status, body);
        });
      })
      .catch(function () { return FieldDB.settle(entry.token, 0, null); });
  }

  // Send every entry still waiting, one after another (a second call while sending waits for the first).
  function flush() {
    if (sending) { return sending; }
    sending = FieldDB.all().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "queued"; }).reverse();
      var sent = 0;
      return waiting.reduce(function (chain, entry) {
        return chain.then(function () {
          return send(entry).then(function (after) { if (after && after.state !== "queued") { sent += 1; } });
        });
      }, Promise.resolve()).then(function () { return sent; });
    }).then(function (sent) { sending = null; render(); return sent; },
            function () { sending = null; return 0; });
    return sending;
  }

  function text(node, name) { return node.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)] || name; }

  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }

  // A NIK in a list is masked as the server masks it (3311••••••••0001): the phone may be seen by others.
  function masked(nik) {
    nik = String(nik || "");
    return nik.length === 16 ? nik.slice(0, 4) + "\u2022".repeat(8) + nik.slice(12) : nik;
  }

  function label(entry) {
    var d = entry.data || {};
    if (entry.answer && entry.answer.label) { return entry.answer.label; }
    return entry.kind === "registration" ? [d.full_name, masked(d.nik)].filter(Boolean).join(" · ")
      : [masked(d.nik), d.months ? d.months + " bln" : "", d.amount ? "Rp" + d.amount : ""]
        .filter(Boolean).join(" · ");
  }

  function formUrl(entry) {
    return app.dataset.scope + (entry.kind === "registration" ? "daftar/" : "tagih/") + "#ubah=" + entry.token;
  }

  // The Kiriman page's list of what is on this phone.
  function render() {
    FieldDB.all().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "queued"; }).length;
      var badge = document.getElementById("field-queued-count");
      if (badge) { badge.textContent = String(waiting); badge.hidden = waiting === 0; }
      var section = document.getElementById("field-local"), list = document.getElementById("field-local-list");
      if (!section || !list) { return; }
      list.textContent = "";
      if (!entries.length) { list.appendChild(el("li", {"class": "muted"}, text(section, "empty"))); }
      entries.forEach(function (entry) {
        var item = el("li", {"class": "field-item field-" + entry.state, "data-token": entry.token});
        item.appendChild(el("strong", {}, text(section, entry.state)));
        item.appendChild(document.createTextNode(" · " + text(section, entry.kind) + " · " + label(entry)));
        item.appendChild(el("br"));
        item.appendChild(el("small", {"class": "muted"}, new Date(entry.entered_at).toLocaleString()));
        var message = entry.answer && entry.answer.message;
        if (message) { item.appendChild(el("p", {"class": "field-message"}, message)); }
        var actions = el("p", {"class": "field-item-actions"});
        if (entry.answer && entry.answer.object_url) {
          actions.appendChild(el("a", {href: entry.answer.object_url}, text(section, "open")));
        }
        if (entry.state === "conflict" || entry.state === "refused") {
          actions.appendChild(el("a", {href: formUrl(entry)}, text(section, "fix")));
        }
        if (entry.state !== "queued") {
          actions.appendChild(el("button", {type: "button", "class": "link", "data-field-remove": entry.token},
                                 text(section, "remove")));
        }
        item.appendChild(actions);
        list.appendChild(item);
      });
    });
  }

  function network() {
    var line = document.getElementById("field-net");
    if (!line) { return; }
    line.hidden = navigator.onLine;
    line.textContent = navigator.onLine ? app.dataset.textOnline : app.dataset.textOffline;
  }

  // What a form's entry came to, under the form.
  function showResult(form, entry) {
    var box = document.getElementById("field-result");
    if (!box) { return; }
    box.textContent = "";
    box.className = "field-result flash" + (entry.state === "done" || entry.state === "queued" ? "" : " flash-error");
    var answer = entry.answer || {};
    var words = {queued: box.dataset.textQueued, done: box.dataset.textDone};
    box.appendChild(el("span", {}, entry.state === "done" ? words.done + " " + label(entry)
      : entry.state === "queued" ? words.queued : (answer.message || "")));
    box.appendChild(document.createTextNode(" "));
    if (answer.object_url) { box.appendChild(el("a", {href: answer.object_url}, box.dataset.textOpen)); }
    box.appendChild(document.createTextNode(" "));
    box.appendChild(el("a", {href: OUTBOX}, box.dataset.textOutbox));
    box.hidden = false;
    box.scrollIntoView({block: "nearest"});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-field-form]");
    if (!form) { return; }
    event.preventDefault();
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && key !== "client_token" && value !== "") { data[key] = value; }
    });
    var entry = {token: FieldDB.token(), kind: form.dataset.fieldForm, data: data, state: "queued",
                 entered_at: new Date().toISOString(), answer: null, note: ""};
    var replaces = form.dataset.replaces;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    FieldDB.put(entry)
      .then(function () { return replaces ? FieldDB.remove(replaces) : null; })
      .then(function () { delete form.dataset.replaces; return send(entry); })
      .then(function (after) {
        showResult(form, after);
        if (after.state === "done" || after.state === "queued") { form.reset(); }
        if (after.state === "refused" && after.answer && after.answer.code !== "actor_refused") {
          return FieldDB.remove(after.token);  // the form still holds it: fix it and save again (a new token)
        }
        return null;
      })
      .then(render, function () {
        // No IndexedDB here (private window), or a step after the send failed: post the form under the entry's own
        // token, so a send that already reached the server is answered as a resend, never recorded twice.
        var hidden = form.querySelector("input[name=client_token]");
        if (hidden) { hidden.value = entry.token; }
        form.submit();
      })
      .then(function () { if (button) { button.disabled = false; } });
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-field-remove]");
    if (remove) { FieldDB.remove(remove.dataset.fieldRemove).then(render); return; }
    if (event.target.closest("#field-send-now")) {
      flush().then(function (sent) {
        if (sent) { window.location.reload(); }  // the server's list below shows the new answers
      });
    }
  });

  // "Perbaiki": the entry's fields back into its form; saving makes a new entry with a new token.
  function refill() {
    var match = /^#ubah=([A-Za-z0-9-]+)$/.exec(window.location.hash);
    var form = document.querySelector("form[data-field-form]");
    if (!match || !form) { return; }
    FieldDB.get(match[1]).then(function (entry) {
      if (!entry) { return; }
      Object.keys(entry.data || {}).forEach(function (name) {
        var fields = form.querySelectorAll("[name='" + name + "']");
        Array.prototype.forEach.call(fields, function (field) {
          if (field.type === "radio" || field.type === "checkbox") { field.checked = field.value === entry.data[name]; }
          else { field.value = entry.data[name]; }
        });
      });
      form.dataset.replaces = entry.token;
    });
  }

  // Back online: the service worker's background sync usually sends first (and writes the answers here); the
  // page sends what is still waiting a moment later, so the two rarely send the same entry at once.
  window.addEventListener("online", function () { network(); window.setTimeout(flush, 2500); });
  window.addEventListener("offline", network);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(app.dataset.sw, {scope: app.dataset.scope}).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "field-outbox-changed") { render(); }
    });
  }
  network();
  refill();
  render();
  if (navigator.onLine) { flush(); }
})();
