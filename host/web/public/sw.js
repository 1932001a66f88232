// Weft web app service worker: caches the app shell (network first for pages, cache first for
// hashed assets), shows Web Push notifications for failed workflows, approvals and analytics alerts,
// and opens the page that can act on them (deep links /approvals/<id>, /executions/<id>, /analytics?workflow=<id>). API responses are not
// cached here: the app keeps its own offline copy of execution history in IndexedDB.
//
// Approve/Reject on a notification, like a decision taken offline in the app, goes into the
// IndexedDB queue the app sends from (src/offline/decision-queue.ts: keep DECISIONS in step). The
// worker holds no session, so it asks an open page to send (its `sync` event too), or opens one.
const SHELL = 'weft-shell-v1';
const SHELL_URLS = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(SHELL_URLS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/hooks/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(SHELL).then((c) => c.put('/', copy));
          }
          return res;
        })
        .catch(() => caches.match('/').then((r) => r ?? Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || SHELL_URLS.includes(url.pathname)) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ??
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(SHELL).then((c) => c.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});

/**
 * Payload: { kind: 'workflow-failed' | 'approval-required', workspaceId, executionId, workflowName?, message? }
 * or { kind: 'alert', workspaceId, workflowId ('' for the workspace), alert: 'slo_burn' | 'anomaly', active, message, workflowName? }.
 */
function notificationFor(data) {
  if (data.kind === 'alert') {
    const what = data.alert === 'slo_burn' ? 'SLO burn-rate alert' : 'Anomaly alert';
    const where = data.workflowId ? (data.workflowName ?? data.workflowId) : 'Workspace';
    return {
      title: `${where}: ${what}${data.active ? '' : ' resolved'}`,
      // One notification per workflow and alert: the resolution replaces the start.
      options: { body: data.message ?? '', tag: `alert-${data.alert}-${data.workflowId}`, renotify: true },
    };
  }
  const name = data.workflowName ?? 'A workflow';
  if (data.kind === 'approval-required') {
    return {
      title: `${name} waits for your approval`,
      options: {
        body: data.message ?? 'Open to approve or reject',
        tag: `approval-${data.executionId}`,
        actions: [
          { action: 'approve', title: 'Approve' },
          { action: 'reject', title: 'Reject' },
        ],
      },
    };
  }
  return {
    title: `${name} failed`,
    options: { body: data.message ?? 'Open the execution to see the error', tag: `failed-${data.executionId}` },
  };
}

self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : undefined;
  } catch {
    data = undefined;
  }
  if (!data?.workspaceId) return;
  if (data.kind === 'alert' ? typeof data.workflowId !== 'string' || !data.alert : !data.executionId) return;
  const { title, options } = notificationFor(data);
  event.waitUntil(
    self.registration.showNotification(title, { ...options, icon: '/icon-192.png', badge: '/icon-192.png', data }),
  );
});

const DECISIONS = { name: 'weft-decisions', version: 1, store: 'decisions' };

function queueDecision(decision) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DECISIONS.name, DECISIONS.version);
    open.onupgradeneeded = () => open.result.createObjectStore(DECISIONS.store, { keyPath: 'executionId' });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(DECISIONS.store, 'readwrite');
      tx.objectStore(DECISIONS.store).put(decision);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

function askPagesToSend() {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
    for (const c of list) c.postMessage({ type: 'weft-flush-decisions' });
  });
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'weft-decisions') event.waitUntil(askPagesToSend());
});

/** Focuses an open window of the app on `path`, or opens one. */
function openPath(path) {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
    for (const c of list) {
      if (new URL(c.url).origin === self.location.origin && 'navigate' in c) {
        return c.focus().then(() => c.navigate(path));
      }
    }
    return self.clients.openWindow(path);
  });
}

self.addEventListener('notificationclick', (event) => {
  const data = event.notification.data ?? {};
  event.notification.close();
  if (data.kind === 'alert') {
    event.waitUntil(
      openPath(data.workflowId ? `/analytics?workflow=${encodeURIComponent(data.workflowId)}` : '/analytics'),
    );
    return;
  }
  const id = encodeURIComponent(data.executionId ?? '');
  if (data.kind !== 'approval-required') {
    event.waitUntil(openPath(`/executions/${id}`));
    return;
  }
  if (event.action !== 'approve' && event.action !== 'reject') {
    event.waitUntil(openPath(`/approvals/${id}`));
    return;
  }
  const decision = {
    decisionId: self.crypto.randomUUID(),
    workspaceId: data.workspaceId,
    executionId: data.executionId,
    approved: event.action === 'approve',
    ...(data.workflowName ? { label: data.workflowName } : {}),
    queuedAt: Date.now(),
  };
  // The opened page sends what is queued as it starts (after sign-in if it must).
  event.waitUntil(
    queueDecision(decision)
      .then(() => openPath(`/approvals/${id}`))
      .then(() => askPagesToSend()),
  );
});
