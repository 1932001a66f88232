import { type EmbedMessage, type Envelope, isEnvelope, PROTOCOL, PROTOCOL_VERSION } from './protocol.js';

/** The window-like objects a channel needs; real windows satisfy them. */
export interface ChannelEnds {
  /** Where messages arrive (the current window). */
  self: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** Who we talk to: the iframe's window (page side) or the parent window (frame side). */
  peer: () => { postMessage(message: unknown, targetOrigin: string): void } | null | undefined;
  /** The only origin we send to and accept from. Never `*`. */
  peerOrigin: string;
}

/**
 * One end of the embed protocol. Every outgoing message names the peer's exact origin as
 * `targetOrigin`; every incoming message is dropped unless its `origin` is that origin, its
 * `source` is the peer window, and it is a well-formed protocol message.
 *
 * @example
 * ```ts
 * const channel = new MessageChannelEnd({ self: window, peer: () => iframe.contentWindow, peerOrigin: 'https://weft.example.com' });
 * channel.onMessage((m) => console.log(m.type));
 * channel.send({ type: 'event', event: 'ready' });
 * ```
 */
export class MessageChannelEnd {
  readonly #ends: ChannelEnds;
  readonly #handlers = new Set<(m: EmbedMessage) => void>();
  readonly #listener: (e: MessageEvent) => void;

  constructor(ends: ChannelEnds) {
    if (!ends.peerOrigin || ends.peerOrigin === '*' || ends.peerOrigin === 'null') {
      throw new Error(`The embed peer origin must be an exact origin, got ${JSON.stringify(ends.peerOrigin)}`);
    }
    this.#ends = { ...ends, peerOrigin: new URL(ends.peerOrigin).origin };
    this.#listener = (e: MessageEvent) => {
      const peer = this.#ends.peer();
      if (e.origin !== this.#ends.peerOrigin || !peer || e.source !== peer || !isEnvelope(e.data)) return;
      const { protocol: _p, v: _v, ...message } = e.data as Envelope;
      for (const h of this.#handlers) h(message as EmbedMessage);
    };
    ends.self.addEventListener('message', this.#listener as EventListener);
  }

  get peerOrigin(): string {
    return this.#ends.peerOrigin;
  }

  /** Sends a message to the peer (dropped when the peer window is gone). */
  send(message: EmbedMessage): void {
    this.#ends.peer()?.postMessage({ ...message, protocol: PROTOCOL, v: PROTOCOL_VERSION }, this.#ends.peerOrigin);
  }

  /** Subscribes to verified messages; returns the unsubscribe function. */
  onMessage(handler: (m: EmbedMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  close(): void {
    this.#handlers.clear();
    this.#ends.self.removeEventListener('message', this.#listener as EventListener);
  }
}
