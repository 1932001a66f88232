import type { WeftCanvas } from '@weft/canvas';

/** Waits until `fn` returns a truthy value (polling each frame), or throws after `timeoutMs`. */
export async function until<T>(fn: () => T | null | undefined | false, timeoutMs = 4000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${fn.toString()}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
}

/** The element the story rendered, once it has finished its first update. */
export async function element<T extends HTMLElement>(root: HTMLElement, selector: string): Promise<T> {
  const el = await until(() => root.querySelector<T>(selector));
  await (el as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return el;
}

/** Queries inside a Weft element's shadow root. */
export function inShadow<T extends Element>(el: Element, selector: string): T[] {
  return [...(el.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

/** Rendered workflow nodes of a canvas (not notes). */
export function canvasNodes(canvas: WeftCanvas): HTMLElement[] {
  return inShadow<HTMLElement>(canvas, '.weft-flow__node:not(.note)');
}

/** Replaces a text field's value the way typing does (focus, value, input event). */
export function typeInto(el: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  el.focus();
  el.value = text;
  el.setSelectionRange(text.length, text.length);
  el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
