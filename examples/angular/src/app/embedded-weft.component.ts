import { afterRenderEffect, Component, ElementRef, inject, input, output } from '@angular/core';
import { type EmbedEventType, type EmbedView, type MountOptions, mountWeft } from '@weft/embed';
import { WEFT_CONFIG } from './weft-config';

/**
 * A Weft host view in a sandboxed iframe, mounted with `mountWeft` once the component is rendered,
 * mounted again when an input changes, and destroyed with the component. `target="modal"` puts it in an overlay over the page; `inline` fills this
 * component's box. Host and token come from {@link WEFT_CONFIG}.
 */
@Component({
  selector: 'app-embedded-weft',
  template: '',
  host: { '[style.display]': 'target() === "inline" ? "block" : "none"' },
})
export class EmbeddedWeftComponent {
  readonly view = input.required<EmbedView>();
  readonly target = input<'inline' | 'modal'>('inline');
  readonly params = input<Record<string, string>>();
  readonly theme = input<MountOptions['theme']>();
  readonly event = output<{ event: EmbedEventType; payload: unknown }>();
  /** The user closed the view (the modal's close button or Escape). */
  readonly closed = output<void>();
  /** The view did not become ready: the host refused the token or could not be reached in time. */
  readonly failed = output<Error>();

  readonly #config = inject(WEFT_CONFIG);
  readonly #element = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    // tracks the inputs it reads; onCleanup runs before a re-run and when the component is destroyed
    afterRenderEffect((onCleanup) => {
      let active = true;
      const weft = mountWeft({
        host: this.#config.host,
        view: this.view(),
        params: this.params(),
        theme: this.theme(),
        target: this.target() === 'modal' ? { modal: true } : this.#element.nativeElement,
        token: this.#config.token,
        onEvent: (event, payload) => {
          if (!active) return;
          this.event.emit({ event, payload });
          if (event === 'closed') this.closed.emit();
        },
      });
      weft.ready.catch((error: Error) => active && this.failed.emit(error));
      onCleanup(() => {
        active = false;
        weft.destroy();
      });
    });
  }
}
