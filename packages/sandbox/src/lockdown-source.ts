/**
 * JavaScript run once in every pooled context after {@link EXPRESSION_RUNTIME_SOURCE} and before
 * `__weft.harden()`. `harden()` freezes the main constructors, their prototypes and the global
 * object, which is shallow: the helper objects (`$date`, `$str`, `$arr`, `$obj`), the typed
 * arrays, the iterator prototypes and the runtime's functions stay writable, and one run could
 * replace `$str.slug` or `%ArrayIteratorPrototype%.next` to read the data of the next run in the
 * same context. This script:
 *
 * - removes globals no expression needs that can schedule work outside a call (`WeakRef`,
 *   `FinalizationRegistry`, `SharedArrayBuffer`, `Atomics`, `WebAssembly`);
 * - makes `__weft.current.now` (written by every program) a non-configurable data property on a
 *   non-extensible object, so no run can turn it into an accessor that observes later runs;
 * - turns the built-in prototype properties that ordinary code overrides on its own objects
 *   (`Error.prototype.name`, `Object.prototype.toString`, ...) into accessors, as SES does, so
 *   that freezing them does not break `this.name = 'MyError'` (the "override mistake"): assigning
 *   through an object defines an own property on it, assigning on the prototype itself throws;
 * - deep-freezes everything reachable from the global object and from the intrinsics that have
 *   no global name (iterator, generator and async prototypes, `%TypedArray%`).
 *
 * Evaluating it returns the number of objects frozen.
 *
 * @internal
 */
export const LOCKDOWN_SOURCE = String.raw`
(function () {
  'use strict';
  ['WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'WebAssembly'].forEach(function (n) {
    delete globalThis[n];
  });
  var current = __weft.current;
  Object.defineProperty(current, 'now', { value: current.now, writable: true, enumerable: true, configurable: false });
  Object.preventExtensions(current);
  function tame(target, keys) {
    keys.forEach(function (key) {
      var d = Object.getOwnPropertyDescriptor(target, key);
      if (!d || !('value' in d) || !d.configurable) return;
      var value = d.value;
      Object.defineProperty(target, key, {
        get: function () { return value; },
        set: function (v) {
          if (this === target) throw new TypeError('Cannot assign to read only property \'' + String(key) + '\' of a built-in prototype');
          Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable,
        configurable: false,
      });
    });
  }
  tame(Object.prototype, ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);
  tame(Function.prototype, ['constructor', 'toString', 'bind', 'call', 'apply']);
  tame(Array.prototype, ['constructor', 'toString', 'push']);
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError].forEach(function (E) {
    tame(E.prototype, ['constructor', 'name', 'message', 'toString']);
  });
  var proto = Object.getPrototypeOf;
  var roots = [
    globalThis,
    proto(function* () {}),
    proto(async function () {}),
    proto(async function* () {}),
    proto((function* () {})()),
    proto((async function* () {})()),
    proto([][Symbol.iterator]()),
    proto(new Map()[Symbol.iterator]()),
    proto(new Set()[Symbol.iterator]()),
    proto(''[Symbol.iterator]()),
    proto(/a/[Symbol.matchAll]('')),
    proto(Int8Array),
  ];
  // The helper objects ($str, $arr, ...) as the scope hands them out, whatever the runtime version.
  if (typeof __weft.scope === 'function') roots.push(__weft.scope({ items: [], nodes: {}, now: 0 }, 0));
  if (typeof Intl === 'object' && Intl.Segmenter) {
    var segments = new Intl.Segmenter().segment('a');
    roots.push(proto(segments), proto(segments[Symbol.iterator]()));
  }
  var seen = new WeakSet();
  var stack = roots.slice();
  var count = 0;
  while (stack.length) {
    var o = stack.pop();
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || o === current) continue;
    seen.add(o);
    Object.freeze(o);
    count++;
    stack.push(proto(o));
    Reflect.ownKeys(o).forEach(function (k) {
      var d = Object.getOwnPropertyDescriptor(o, k);
      if (!d) return;
      if ('value' in d) stack.push(d.value);
      if (d.get) stack.push(d.get);
      if (d.set) stack.push(d.set);
    });
  }
  return count;
})()
`;
