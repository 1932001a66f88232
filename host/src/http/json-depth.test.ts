import { describe, expect, it } from 'vitest';
import { checkJsonBodyDepth, checkJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { ProblemError } from './problem.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const problem = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e as ProblemError;
  }
  return undefined;
};

describe('checkJsonDepth', () => {
  it('accepts the limit and refuses one level more with a 400', () => {
    expect(problem(() => checkJsonDepth(Buffer.from(nested(MAX_JSON_DEPTH))))).toBeUndefined();
    const p = problem(() => checkJsonDepth(Buffer.from(nested(MAX_JSON_DEPTH + 1))));
    expect(p).toBeInstanceOf(ProblemError);
    expect(p).toMatchObject({ status: 400, code: 'json-too-deep' });
  });

  it('counts objects and arrays alike, depth not total', () => {
    expect(problem(() => checkJsonDepth('{"a":{"b":[1]}}', 3))).toBeUndefined();
    expect(problem(() => checkJsonDepth('{"a":{"b":[1]}}', 2))).toBeDefined();
    expect(problem(() => checkJsonDepth(`[${Array(500).fill('[[]]').join(',')}]`, 3))).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(problem(() => checkJsonDepth(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`, 1))).toBeUndefined();
    expect(problem(() => checkJsonDepth('["\\\\",[[1]]]', 2))).toBeDefined();
  });

  it('reads bodies in other charsets as text, refusing ones it cannot decode with a 415', () => {
    const deep = nested(MAX_JSON_DEPTH + 1);
    expect(problem(() => checkJsonBodyDepth(Buffer.from(deep, 'utf16le'), 'utf-16le'))?.code).toBe('json-too-deep');
    expect(problem(() => checkJsonBodyDepth(Buffer.from('[1]', 'utf16le'), 'utf-16le'))).toBeUndefined();
    expect(problem(() => checkJsonBodyDepth(Buffer.from('[1]'), 'utf-32'))?.status).toBe(415);
  });
});
