const memory = new Map<string, string>();

/** A Storage kept in memory for this page only. */
const memoryStorage: Storage = {
  get length() {
    return memory.size;
  },
  key: (i) => [...memory.keys()][i] ?? null,
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, String(v)),
  removeItem: (k) => void memory.delete(k),
  clear: () => memory.clear(),
};

/**
 * The page's `localStorage`, or an in-memory stand-in when the browser denies it. Chromium throws
 * a SecurityError on reading `window.localStorage` in a cross-site frame when third-party storage
 * is blocked (the default of Chromium 156, and a user setting elsewhere), which is exactly where
 * an embedding product frames the `/embed/*` views; those views get their session from the page,
 * so losing persistence there costs nothing, while an uncaught throw left the frame blank.
 *
 * @example
 * ```ts
 * localStore().setItem('weft.workspace', id);
 * ```
 */
export function localStore(): Storage {
  try {
    return window.localStorage;
  } catch {
    return memoryStorage;
  }
}
