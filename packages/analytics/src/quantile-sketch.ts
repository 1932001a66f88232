const MAGIC = 1;
const MIN_INDEXABLE = 1e-9;

/** Options of a {@link QuantileSketch}. */
export interface QuantileSketchOptions {
  /** Largest relative error of any quantile (default 0.01: within 1% of the exact value). */
  relativeAccuracy?: number;
  /** Most bins kept; beyond it the lowest bins are merged (default 4096, never reached at 1% for ms..days). */
  maxBins?: number;
}

/**
 * A mergeable quantile sketch after DDSketch (Masson, Rim, Lee, VLDB 2019): values fall into
 * logarithmic bins `ceil(log_gamma(v))` with `gamma = (1 + a) / (1 - a)`, so every quantile it
 * answers is within relative accuracy `a` of a value at that rank. Bins are plain counts, so two
 * sketches merge by adding counts and a bucket's sketch is the sum of its parts in any order.
 * Values at or below 1e-9 (zero durations) are counted apart; negative values are refused.
 *
 * @example
 * ```ts
 * const s = new QuantileSketch();
 * for (const ms of [12, 15, 230]) s.add(ms);
 * s.quantile(0.5); // ~15
 * const copy = QuantileSketch.decode(s.encode());
 * ```
 */
export class QuantileSketch {
  readonly relativeAccuracy: number;
  readonly #gamma: number;
  readonly #logGamma: number;
  readonly #maxBins: number;
  #offset = 0;
  #bins: number[] = [];
  #zero = 0;
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  constructor(options: QuantileSketchOptions = {}) {
    const a = options.relativeAccuracy ?? 0.01;
    if (!(a > 0 && a < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${a}`);
    this.relativeAccuracy = a;
    this.#gamma = (1 + a) / (1 - a);
    this.#logGamma = Math.log(this.#gamma);
    this.#maxBins = options.maxBins ?? 4096;
  }

  /** How many values were added (merged sketches included). */
  get count(): number {
    return this.#count;
  }

  /** The smallest value added, or undefined when empty. */
  get min(): number | undefined {
    return this.#count ? this.#min : undefined;
  }

  /** The largest value added, or undefined when empty. */
  get max(): number | undefined {
    return this.#count ? this.#max : undefined;
  }

  /** The bin a value falls into (values at or below 1e-9 have none: they are counted as zero). */
  binOf(value: number): number | undefined {
    return value <= MIN_INDEXABLE ? undefined : Math.ceil(Math.log(value) / this.#logGamma);
  }

  /** Adds `value` `weight` times (weight a positive integer). */
  add(value: number, weight = 1): this {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`QuantileSketch takes finite values >= 0, got ${value}`);
    const bin = this.binOf(value);
    if (bin === undefined) this.#zero += weight;
    else this.#addToBin(bin, weight);
    this.#count += weight;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    return this;
  }

  /** Adds every value of `other` (same relative accuracy) to this sketch. */
  merge(other: QuantileSketch): this {
    if (other.relativeAccuracy !== this.relativeAccuracy) {
      throw new RangeError(`Cannot merge sketches of accuracy ${other.relativeAccuracy} into ${this.relativeAccuracy}`);
    }
    if (other.#count === 0) return this;
    if (other.#bins.length) this.#reserve(other.#offset, other.#offset + other.#bins.length - 1);
    for (let i = 0; i < other.#bins.length; i++) {
      const c = other.#bins[i]!;
      if (c) this.#addToBin(other.#offset + i, c);
    }
    this.#zero += other.#zero;
    this.#count += other.#count;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /** Adds raw bin counts (as kept by a counter store) to this sketch. */
  addBins(bins: Iterable<[bin: number | 'zero', count: number]>): this {
    for (const [bin, c] of bins) {
      if (c <= 0) continue;
      if (bin === 'zero') {
        this.#zero += c;
        this.#min = Math.min(this.#min, 0);
        this.#max = Math.max(this.#max, 0);
      } else {
        this.#addToBin(bin, c);
        const v = this.#valueOf(bin);
        this.#min = Math.min(this.#min, v);
        this.#max = Math.max(this.#max, v);
      }
      this.#count += c;
    }
    return this;
  }

  /**
   * The value at quantile `q` (0..1), within the relative accuracy of the exact one, clamped to
   * the smallest and largest value added; undefined when the sketch is empty.
   */
  quantile(q: number): number | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    if (this.#count === 0) return undefined;
    const rank = q * (this.#count - 1);
    let seen = this.#zero;
    if (seen > rank) return Math.max(0, this.#min);
    for (let i = 0; i < this.#bins.length; i++) {
      seen += this.#bins[i]!;
      if (seen > rank) return Math.min(this.#max, Math.max(this.#min, this.#valueOf(this.#offset + i)));
    }
    return this.#max;
  }

  /** About how many values exceed `value` (bins entirely above it; within the relative accuracy). */
  countAbove(value: number): number {
    let above = 0;
    for (let i = 0; i < this.#bins.length; i++) if (this.#valueOf(this.#offset + i) > value) above += this.#bins[i]!;
    if (value < 0) above += this.#zero;
    return above;
  }

  /**
   * A compact, URL-safe text form: varint counts of the occupied bin range plus min and max
   * (a few hundred bytes for typical latencies). {@link QuantileSketch.decode} reads it back.
   */
  encode(): string {
    const out: number[] = [MAGIC];
    writeVarint(out, Math.round(this.relativeAccuracy * 1e6));
    writeVarint(out, this.#zero);
    let lo = 0;
    let hi = this.#bins.length;
    while (lo < hi && !this.#bins[lo]) lo++;
    while (hi > lo && !this.#bins[hi - 1]) hi--;
    writeVarint(out, zigzag(this.#offset + lo));
    writeVarint(out, hi - lo);
    for (let i = lo; i < hi; i++) writeVarint(out, this.#bins[i]!);
    const bytes = new Uint8Array(out.length + (this.#count ? 16 : 0));
    bytes.set(out);
    if (this.#count) {
      const view = new DataView(bytes.buffer);
      view.setFloat64(out.length, this.#min);
      view.setFloat64(out.length + 8, this.#max);
    }
    return toBase64Url(bytes);
  }

  /**
   * Reads a sketch written by {@link QuantileSketch.encode}.
   *
   * @throws RangeError when `text` is not an encoded sketch.
   */
  static decode(text: string): QuantileSketch {
    const bytes = fromBase64Url(text);
    const pos = { i: 0 };
    if (bytes[pos.i++] !== MAGIC) throw new RangeError('Not an encoded QuantileSketch');
    const sketch = new QuantileSketch({ relativeAccuracy: readVarint(bytes, pos) / 1e6 });
    sketch.#zero = readVarint(bytes, pos);
    sketch.#offset = unzigzag(readVarint(bytes, pos));
    const n = readVarint(bytes, pos);
    let count = sketch.#zero;
    sketch.#bins = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const c = readVarint(bytes, pos);
      sketch.#bins[i] = c;
      count += c;
    }
    sketch.#count = count;
    if (count) {
      if (pos.i + 16 !== bytes.length) throw new RangeError('Truncated QuantileSketch');
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      sketch.#min = view.getFloat64(pos.i);
      sketch.#max = view.getFloat64(pos.i + 8);
    }
    return sketch;
  }

  #valueOf(bin: number): number {
    return (2 * this.#gamma ** bin) / (this.#gamma + 1);
  }

  #reserve(lo: number, hi: number): void {
    if (this.#bins.length === 0) {
      this.#offset = lo;
      this.#bins = new Array<number>(hi - lo + 1).fill(0);
      return;
    }
    if (lo < this.#offset) {
      this.#bins = new Array<number>(this.#offset - lo).fill(0).concat(this.#bins);
      this.#offset = lo;
    }
    const need = hi - this.#offset + 1;
    if (need > this.#bins.length) this.#bins = this.#bins.concat(new Array<number>(need - this.#bins.length).fill(0));
  }

  #addToBin(bin: number, weight: number): void {
    if (this.#bins.length === 0) this.#offset = bin;
    if (bin < this.#offset) {
      const grow = this.#offset - bin;
      this.#bins = new Array<number>(grow).fill(0).concat(this.#bins);
      this.#offset = bin;
    }
    let i = bin - this.#offset;
    while (i >= this.#bins.length) this.#bins.push(0);
    if (this.#bins.length > this.#maxBins) {
      const drop = this.#bins.length - this.#maxBins;
      let folded = 0;
      for (let k = 0; k < drop; k++) folded += this.#bins[k]!;
      this.#bins = this.#bins.slice(drop);
      this.#offset += drop;
      this.#bins[0]! += folded;
      i = Math.max(0, i - drop);
    }
    this.#bins[i]! += weight;
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function writeVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, pos: { i: number }): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[pos.i++];
    if (b === undefined) throw new RangeError('Truncated QuantileSketch');
    result += (b & 0x7f) * scale;
    if (b < 0x80) return result;
    scale *= 0x80;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) s += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return s;
}

const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

function fromBase64Url(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) throw new RangeError('Not an encoded QuantileSketch');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}
