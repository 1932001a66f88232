import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One Server-Sent Events message. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Incremental parser of a `text/event-stream` body (WHATWG rules: `id`, `event`, `data`,
 * comments, `retry`; CRLF, LF or CR line ends), on `eventsource-parser`. Feed it chunks; it calls
 * `onMessage` per dispatch, with the last event id seen so far.
 *
 * @example
 * ```ts
 * const p = new SseParser((m) => console.log(m.event, m.data));
 * p.push('event: ping\ndata: {}\n\n');
 * ```
 */
export class SseParser {
  readonly #parser: EventSourceParser;
  #id: string | undefined;
  /** Reconnection delay the server asked for, in ms. */
  retry: number | undefined;

  constructor(onMessage: (m: SseMessage) => void) {
    this.#parser = createParser({
      onEvent: ({ id, event, data }) => {
        if (id !== undefined) this.#id = id;
        onMessage({ id: this.#id, event: event ?? 'message', data });
      },
      onRetry: (ms) => {
        this.retry = ms;
      },
    });
  }

  push(chunk: string): void {
    this.#parser.feed(chunk);
  }
}
