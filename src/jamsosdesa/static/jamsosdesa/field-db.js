// The agents' field app outbox on the phone (IndexedDB), shared by the pages (field.js) and the service worker
// (agents/field/sw.js). One entry per thing the agent entered: {token, kind, data, entered_at, state, answer,
// note}; state is "queued" until the server answers, then the server's outcome (done, conflict, refused).
(function (root) {
  "use strict";
  var DB_NAME = "jamsosdesa-lapangan", STORE = "kiriman";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "token"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One request in one transaction; resolves with its result once the transaction is committed.
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // A token made on the phone: a UUID (crypto.randomUUID, or the same from random bytes where it is missing).
  function token() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function put(entry) { return run("readwrite", function (s) { return s.put(entry); }); }
  function get(key) { return run("readonly", function (s) { return s.get(key); }); }
  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (entries) {
      return entries.sort(function (a, b) { return a.entered_at < b.entered_at ? 1 : -1; });
    });
  }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }

  // What the server answered to an entry's submission (`status` 0: no answer, still offline).
  function settle(key, status, body) {
    return get(key).then(function (entry) {
      if (!entry) { return null; }
      var error = body && body.error;
      if (status === 200 || status === 201) {
        entry.state = body.outcome; entry.answer = body; entry.note = "";
      } else if (status === 409 || status === 404 || status === 422) {
        entry.state = status === 409 ? "conflict" : "refused";
        entry.answer = {message: error ? error.message : String(status), fields: error ? error.fields : {}};
        entry.note = "";
      } else if (status === 401 || status === 403) {
        entry.note = "login";  // the session ended: log in again, then send
      } else if (status) {
        entry.note = "server";  // the server failed: sent again later
      } else {
        entry.note = "offline";
      }
      entry.tried_at = new Date().toISOString();
      return put(entry).then(function () { return entry; });
    });
  }

  root.FieldDB = {token: token, put: put, get: get, all: all, remove: remove, settle: settle};
})(self);
