import { ProblemError } from './problem.js';

/**
 * How deeply arrays and objects may nest in a JSON request body (API and webhooks alike). n8n
 * exports and real webhook payloads stay well under 30 levels; 100 leaves room for them while
 * keeping recursive code (validation, `JSON.stringify`, expressions) far from the stack limit.
 */
export const MAX_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Refuses JSON that nests deeper than `max` with a 400 problem, in one pass before anything parses
 * or walks it. Takes UTF-8 bytes as they are (bracket and quote bytes never occur inside a
 * multi-byte sequence) or decoded text. Malformed JSON is left for the parser to name.
 *
 * @example
 * ```ts
 * checkJsonDepth(Buffer.from('[[[1]]]'), 2); // throws: nested deeper than 2 levels
 * ```
 */
export function checkJsonDepth(json: Uint8Array | string, max: number = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  const text = typeof json === 'string';
  for (let i = 0; i < json.length; i++) {
    const b = text ? json.charCodeAt(i) : json[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) {
        throw new ProblemError(
          400,
          'json-too-deep',
          `Request body nests arrays and objects deeper than ${max} levels (at offset ${i})`,
          { errors: [{ in: 'body', path: '/', message: `Nested deeper than ${max} levels` }] },
        );
      }
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
}

/**
 * {@link checkJsonDepth} for a body in the charset its `Content-Type` names (the `verify` hook of
 * Express' JSON parser); a charset this runtime cannot decode gets a 415 problem.
 *
 * @example
 * ```ts
 * app.use(express.json({ verify: (_req, _res, buf, encoding) => checkJsonBodyDepth(buf, encoding) }));
 * ```
 */
export function checkJsonBodyDepth(body: Uint8Array, charset: string | null | undefined): void {
  const name = (charset ?? 'utf-8').toLowerCase();
  if (name === 'utf-8' || name === 'utf8') {
    checkJsonDepth(body);
    return;
  }
  let text: string;
  try {
    text = new TextDecoder(name).decode(body);
  } catch {
    throw new ProblemError(415, 'unsupported-encoding', `Charset "${name}" is not supported for JSON bodies`, {
      errors: [{ in: 'header', path: 'content-type', message: 'Use charset=utf-8' }],
    });
  }
  checkJsonDepth(text);
}
