import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { setLeaveGuard } from '../app/router.js';

/** What the browser and the editor ask before unsaved changes would be lost. */
export const LEAVE_MESSAGE = 'This workflow has unsaved changes. Leave without saving?';

/**
 * Keeps unsaved changes from being lost silently: while `dirty()` holds, closing or reloading
 * the tab asks (beforeunload), and in-app navigation — links, the menu, Back — asks first.
 *
 * @example
 * ```ts
 * new UnsavedGuard(this, () => this.dirty);
 * ```
 */
export class UnsavedGuard implements ReactiveController {
  #url = '';

  constructor(
    host: ReactiveControllerHost,
    private readonly dirty: () => boolean,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#url = location.pathname + location.search;
    window.addEventListener('beforeunload', this.#onBeforeUnload);
    window.addEventListener('popstate', this.#onPopState, { capture: true });
    setLeaveGuard(() => !this.dirty() || confirm(LEAVE_MESSAGE));
  }

  hostDisconnected(): void {
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    window.removeEventListener('popstate', this.#onPopState, { capture: true });
    setLeaveGuard(undefined);
  }

  hostUpdated(): void {
    if (location.pathname.startsWith('/workflows/') || location.pathname.startsWith('/embed/'))
      this.#url = location.pathname + location.search;
  }

  #onBeforeUnload = (e: BeforeUnloadEvent): void => {
    if (!this.dirty()) return;
    e.preventDefault();
    e.returnValue = LEAVE_MESSAGE;
  };

  // Back/forward has already changed the URL: staying puts the editor's URL back.
  #onPopState = (e: PopStateEvent): void => {
    if (!this.dirty() || confirm(LEAVE_MESSAGE)) return;
    e.stopImmediatePropagation();
    history.pushState(null, '', this.#url);
  };
}
