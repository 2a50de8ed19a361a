{% autoescape off %}// The agents' field app service worker (docs/design/agents.md §5), served from {{ scope }} so that its scope is the
// field app. Workbox comes from npm at install time (static/vendor/workbox, `make assets`), never from a CDN.
const CONFIG = {{ config }};
importScripts(CONFIG.workbox + "workbox-sw.js");
workbox.setConfig({modulePathPrefix: CONFIG.workbox, debug: false});
importScripts(CONFIG.fieldDb);
// Every module is loaded now: a service worker may import scripts only while it starts.
const {core, precaching, routing, strategies, backgroundSync} = workbox;

core.setCacheNameDetails({prefix: "jamsosdesa-lapangan"});
self.skipWaiting();
core.clientsClaim();

// The shell and the forms, kept on the phone; a new revision (a template or a file changed) fetches them again.
precaching.precache(CONFIG.precache);
precaching.cleanupOutdatedCaches();

// Pages of the field app: from the network while there is one (answers within a few seconds on a weak
// connection), else the copy last seen, else the one kept at installation.
const pages = new strategies.NetworkFirst({
  cacheName: "jamsosdesa-lapangan-halaman",
  networkTimeoutSeconds: 6,
  plugins: [{
    handlerDidError: async ({request}) => (await precaching.matchPrecache(new URL(request.url).pathname)) ||
      Response.error(),
  }],
});
routing.registerRoute(({request, url}) => request.mode === "navigate" && url.pathname.startsWith(CONFIG.scope),
  pages);

// A submission that cannot reach the server waits in Workbox's queue and is sent again when the phone is online
// (Background Sync where the browser has it; otherwise each time this worker starts). What the server answers is
// written into the phone's outbox (field-db.js) and told to the open pages.
async function replay({queue}) {
  let entry;
  while ((entry = await queue.shiftRequest())) {
    let response;
    try {
      response = await fetch(entry.request.clone());
    } catch (error) {
      await queue.unshiftRequest(entry);
      throw error;  // still offline: Workbox tries again later
    }
    let body = null;
    try { body = await response.clone().json(); } catch (error) { body = null; }
    let token = "";
    try { token = (await entry.request.clone().json()).token; } catch (error) { token = ""; }
    if (token) { await FieldDB.settle(token, response.status, body); }
  }
  const windows = await self.clients.matchAll({type: "window"});
  windows.forEach((client) => client.postMessage({type: "field-outbox-changed"}));
}
const queue = new backgroundSync.Queue("jamsosdesa-lapangan-kiriman", {maxRetentionTime: 7 * 24 * 60, onSync: replay});
const keepWhenOffline = {fetchDidFail: async ({request}) => { await queue.pushRequest({request}); }};
routing.registerRoute(({url}) => url.pathname === CONFIG.api,
  new strategies.NetworkOnly({plugins: [keepWhenOffline]}), "POST");

// The page asks to queue an entry it kept while the phone was offline (it does not try the network then).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "field-queue") { return; }
  event.waitUntil(queue.pushRequest({request: new Request(CONFIG.api, {
    method: "POST", credentials: "same-origin", headers: data.headers, body: data.body})}));
});

// Static files kept at installation: from the phone.
precaching.addRoute();
{% endautoescape %}
