/**
 * Sources that wrap an engine program before it is compiled in a pooled context. The wrapper
 * freezes the program function (so no run can hang state on it for the next run of the same
 * program), caps the size of the JSON string that leaves the isolate, and, for async code
 * programs, keeps the settled result in a closure so the host can start a run and collect it with
 * two synchronous calls.
 *
 * @internal
 */

/** Prefix of the error a wrapper throws when a program's result is larger than allowed. */
export const OUTPUT_MARKER = 'weft:output-too-large:';

/**
 * Wraps an expression program: evaluates to `function (dataJson, itemCount) -> string`.
 *
 * @internal
 */
export function wrapExpressionProgram(source: string, maxOutputChars: number): string {
  return `(function (p, max) {
  'use strict';
  Object.freeze(p);
  if (p.prototype) Object.freeze(p.prototype);
  return function (j, n) {
    var r = p(j, n);
    if (typeof r === 'string' && r.length > max) throw new Error('${OUTPUT_MARKER}' + r.length);
    return r;
  };
})(${source}
, ${maxOutputChars})`;
}

/**
 * Wraps a code program: evaluates to an object with
 * - `start(dataJson)`: starts a run;
 * - `take()`: the result string once the run has settled, `false` while it is pending;
 * - `wait()`: a promise of the result string of the pending run;
 * - `run(dataJson)`: a promise of the result string (start and wait in one call).
 *
 * @internal
 */
export function wrapCodeProgram(source: string, maxOutputChars: number): string {
  return `(function (p, max) {
  'use strict';
  Object.freeze(p);
  var settled = false, out, pending = null;
  function message(e) {
    try { return e && typeof e.message === 'string' ? e.message : String(e); } catch (x) { return 'unknown error'; }
  }
  function done(r) { settled = true; out = r; }
  function fail(e) { settled = true; out = JSON.stringify({ e: { message: message(e) } }); }
  function collect() {
    var r = out;
    out = undefined; settled = false; pending = null;
    if (typeof r === 'string' && r.length > max) throw new Error('${OUTPUT_MARKER}' + r.length);
    return r;
  }
  return Object.freeze({
    start: function (j) { settled = false; out = undefined; pending = p(j).then(done, fail); },
    take: function () { return settled ? collect() : false; },
    wait: function () { return pending.then(collect); },
    run: function (j) { settled = false; out = undefined; return p(j).then(done, fail).then(collect); },
  });
})(${source}
, ${maxOutputChars})`;
}
