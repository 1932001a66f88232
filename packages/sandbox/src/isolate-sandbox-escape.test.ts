import { buildCodeProgram, buildExpressionProgram, type ExpressionData, SandboxError } from '@weft/engine';
import { expressionData } from '@weft/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IsolateSandbox } from './isolate-sandbox.js';

// Escape and abuse attempts. After each one the host must be untouched and the sandbox must keep
// serving calls.
const limits = { timeoutMs: 1_000, memoryMb: 32 };
const hostGlobal = globalThis as Record<string, unknown>;

for (const dispatch of ['sync', 'async'] as const) {
  describe(`IsolateSandbox escapes and abuse (${dispatch} dispatch)`, () => {
    const sandbox = new IsolateSandbox({ size: 2, dispatch });
    afterAll(() => sandbox.close());

    const code = (source: string, data: ExpressionData = expressionData(), timeoutMs = limits.timeoutMs) =>
      sandbox.runCode({
        program: buildCodeProgram(source, 'allItems'),
        data,
        limits: { ...limits, timeoutMs },
        label: 'Attack',
      });
    const expr = (expressions: string[], timeoutMs = limits.timeoutMs) =>
      sandbox.evaluate({
        program: buildExpressionProgram(expressions),
        data: expressionData(),
        itemCount: 1,
        limits: { ...limits, timeoutMs },
        label: 'Attack',
      });
    const json = async (source: string) => (await code(source)).items[0]?.json;
    const rejection = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SandboxError);
      return error as SandboxError;
    };

    afterEach(async () => {
      expect(hostGlobal.pwned).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(await expr(['$json.a * 2', '$str.slug("Still Works")'])).toEqual([[2, 'still-works']]);
    });

    it('constructor chains reach only the isolate’s own Function, which has no process or require', async () => {
      expect(
        await json(`
          const F = this.constructor.constructor;
          const G = [].map.constructor;
          const A = (async () => {}).constructor;
          const g = F('return this')();
          return {
            sameF: F === G,
            process: F('return typeof process')(),
            require: G('return typeof require')(),
            asyncProcess: await A('return typeof process')(),
            globals: Object.getOwnPropertyNames(g).filter((n) => /^(process|require|module|exports|Buffer|global|fetch|setTimeout|setInterval|setImmediate)$/.test(n)),
          };`),
      ).toEqual({ sameF: true, process: 'undefined', require: 'undefined', asyncProcess: 'undefined', globals: [] });
      const error = await rejection(code(`return this.constructor.constructor('return process')().env;`));
      expect(error.message).toBe('Attack: ReferenceError: process is not defined');
      expect(await expr(['$json.constructor.constructor("return typeof process")()'])).toEqual([['undefined']]);
    });

    it('the global object holds only standard built-ins and the runtime, all frozen', async () => {
      const result = await json(`
        const names = Object.getOwnPropertyNames(globalThis).sort();
        return { names, frozen: names.filter((n) => !Object.isFrozen(globalThis[n]) && Object(globalThis[n]) === globalThis[n]) };`);
      expect(result?.frozen).toEqual([]);
      expect(result?.names).toEqual(
        [
          ...[
            'AggregateError',
            'Array',
            'ArrayBuffer',
            'BigInt',
            'BigInt64Array',
            'BigUint64Array',
            'Boolean',
            'DataView',
          ],
          ...['Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array'],
          ...['Int32Array', 'Int8Array', 'Intl', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy'],
          ...[
            'RangeError',
            'ReferenceError',
            'Reflect',
            'RegExp',
            'Set',
            'String',
            'Symbol',
            'SyntaxError',
            'TypeError',
          ],
          ...[
            'URIError',
            'Uint16Array',
            'Uint32Array',
            'Uint8Array',
            'Uint8ClampedArray',
            'WeakMap',
            'WeakSet',
            '__weft',
          ],
          ...['console', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval'],
          ...['globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape'],
        ].sort(),
      );
    });

    it('cannot pollute prototypes, helpers or the runtime for the next call', async () => {
      const attempts = await json(`
        const tries = {
          arrayMap: () => { Array.prototype.map = () => 'owned'; },
          objectProto: () => { Object.prototype.polluted = 1; },
          defineOnArray: () => Object.defineProperty(Array.prototype, 'polluted', { value: 1 }),
          json: () => { JSON.stringify = () => '{}'; },
          weftStr: () => { __weft.str = () => 'owned'; },
          weftCurrent: () => Object.defineProperty(__weft.current, 'now', { get: () => 0 }),
          weftExtend: () => { __weft.current.spy = 1; if (!('spy' in __weft.current)) throw new Error('ignored'); },
          helperSlug: () => { $str.slug = () => 'owned'; },
          dateHelper: () => { $date.add = () => 'owned'; },
          iterator: () => { Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true }); },
          typedArray: () => { Object.getPrototypeOf(Uint8Array.prototype).polluted = 1; },
          global: () => { globalThis.pwned = 1; if (!globalThis.pwned) throw new Error('ignored'); },
          promiseThen: () => { Promise.prototype.then = function () {}; },
          errorName: () => { Error.prototype.name = 'Owned'; },
          toStringViaProto: () => { ({}).__proto__.toString = () => 'owned'; },
        };
        const outcome = {};
        for (const [name, attempt] of Object.entries(tries)) {
          // Sloppy-mode writes to frozen objects fail silently, defineProperty throws.
          try { attempt(); outcome[name] = 'ignored'; } catch (e) { outcome[name] = 'threw'; }
        }
        return outcome;`);
      expect(Object.keys(attempts ?? {})).toHaveLength(15);
      for (const name of ['defineOnArray', 'weftCurrent', 'weftExtend', 'global', 'errorName', 'toStringViaProto']) {
        expect([name, attempts?.[name]]).toEqual([name, 'threw']);
      }
      expect(
        await json(`return {
          map: [1, 2].map((x) => x * 2),
          proto: ({}).polluted ?? null,
          array: [].polluted ?? null,
          json: JSON.stringify({ a: 1 }),
          slug: $str.slug('A B'),
          add: $date.add(0, 1, 'day').toISOString(),
          iterate: [...[1, 2]],
          typed: new Uint8Array(1).polluted ?? null,
          global: typeof globalThis.pwned,
          spy: 'spy' in __weft.current,
          awaited: await Promise.resolve(5),
          errorName: new TypeError('m').name + '/' + new Error('m').name,
          objectString: String({}),
        };`),
      ).toEqual({
        map: [2, 4],
        proto: null,
        array: null,
        json: '{"a":1}',
        slug: 'a-b',
        add: '1970-01-02T00:00:00.000Z',
        iterate: [1, 2],
        typed: null,
        global: 'undefined',
        spy: false,
        awaited: 5,
        errorName: 'TypeError/Error',
        objectString: '[object Object]',
      });
    });

    it('user code may still override inherited built-in properties on its own objects', async () => {
      expect(
        await json(`
          class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }
          const e = new NotFound('missing');
          const o = { toString() { return 'custom'; } };
          const p = {}; p.toString = () => 'assigned'; p.constructor = 'mine';
          const a = [1]; a.push = function (x) { return Array.prototype.push.call(this, x * 10); }; a.push(2);
          return { name: e.name, text: String(e), caught: e instanceof Error, o: String(o), p: String(p), ctor: p.constructor, a };`),
      ).toEqual({
        name: 'NotFound',
        text: 'NotFound: missing',
        caught: true,
        o: 'custom',
        p: 'assigned',
        ctor: 'mine',
        a: [1, 20],
      });
      expect(
        (
          await rejection(
            code(`class Bad extends Error { constructor() { super('x'); this.name = 'Bad'; } } throw new Bad();`),
          )
        ).message,
      ).toBe('Attack: x');
    });

    it('import() loads nothing', async () => {
      const error = await rejection(
        code(`const fs = await import('node:fs'); return { read: typeof fs.readFileSync };`),
      );
      expect(error.kind).toBe('error');
      expect(
        await json(`return { t: await import('node:child_process').then(() => 'loaded', () => 'refused') };`),
      ).toEqual({
        t: 'refused',
      });
    });

    it('Error.prepareStackTrace cannot be installed and stacks show no host frames', async () => {
      const result = await json(`
        let installed;
        try { Object.defineProperty(Error, 'prepareStackTrace', { value: (e, s) => s }); installed = true; } catch { installed = false; }
        const set = Reflect.set(Error, 'prepareStackTrace', (e, s) => s.map((f) => f.getThis()));
        const stack = new Error('probe').stack;
        return { installed, set, stackIsString: typeof stack === 'string', stack };`);
      expect(result).toMatchObject({ installed: false, set: false, stackIsString: true });
      expect(String(result?.stack)).not.toMatch(/node:internal|\/work\/|node_modules/);
    });

    it('Proxies and symbols come out as plain JSON and traps run only inside', async () => {
      const result = await code(`
        const trap = new Proxy({}, {
          ownKeys: () => ['a', 'b'],
          getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }),
          get: (t, k) => (k === 'toJSON' ? undefined : String(k)),
        });
        return [
          trap,
          { toJSON() { return { viaToJSON: true }; } },
          { [Symbol.for('nodejs.util.inspect.custom')]: () => 'owned', [Symbol.toPrimitive]: () => 1, plain: 1 },
        ];`);
      expect(result.items).toEqual([
        { json: { a: 'a', b: 'b' } },
        { json: { viaToJSON: true } },
        { json: { plain: 1 } },
      ]);
      expect(Object.getPrototypeOf(result.items[0]?.json)).toBe(Object.prototype);
      const error = await rejection(
        code(`return [new Proxy({}, { ownKeys() { while (true) {} } })];`, expressionData(), 100),
      );
      expect(error.kind).toBe('timeout');
    });

    it('while (true) {} times out in expressions and code', async () => {
      const started = Date.now();
      expect((await rejection(expr(['(() => { for (;;) {} })()'], 100))).kind).toBe('timeout');
      expect((await rejection(code('for (;;) {}', expressionData(), 100))).kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('deep recursion is a RangeError inside the sandbox', async () => {
      const error = await rejection(code('const f = (n) => f(n + 1) + 1; return { n: f(0) };'));
      expect(error.kind).toBe('error');
      expect(error.message).toBe('Attack: RangeError: Maximum call stack size exceeded');
    });

    it('giant strings fail inside the sandbox or hit the memory or time limit', async () => {
      const tooLong = await rejection(code(`return { s: 'x'.repeat(2 ** 30) };`));
      expect(tooLong.message).toContain('Invalid string length');
      const doubling = await rejection(
        code(`let s = 'xy'; const keep = []; for (;;) { s = s + s + 'z'; keep.push(s.split('')); }`),
      );
      // Contained either way: a RangeError, the isolate's memory limit, or (on a loaded machine,
      // before memory runs out) the time limit; never the host process.
      expect(['error', 'memory', 'timeout']).toContain(doubling.kind);
    });

    it('async loops and promises that never settle time out', async () => {
      for (const source of [
        'await new Promise(() => {});',
        'for (;;) await null;',
        'const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});',
        'await Promise.all([new Promise(() => {}), Promise.resolve(1)]);',
      ]) {
        const error = await rejection(code(source, expressionData(), 80));
        expect([source, error.kind, error.message]).toEqual([
          source,
          'timeout',
          'Attack: code did not finish within 80 ms',
        ]);
      }
    });

    it('$env holds only what was passed, never the host environment', async () => {
      expect(process.env.PATH).toBeDefined();
      const result = await json('return { env: $env, path: $env.PATH ?? null };');
      expect(result).toEqual({ env: { API_BASE: 'https://api.example.test' }, path: null });
      const empty = await code('return { keys: Object.keys($env) };', expressionData({ env: {} }));
      expect(empty.items).toEqual([{ json: { keys: [] } }]);
    });
  });
}
