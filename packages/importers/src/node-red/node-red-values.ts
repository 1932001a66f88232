import { type WeftTemplate, weft } from '../n8n/n8n-values.js';
import { dottedPath, msgAccessor } from './node-red-code.js';

/** A Node-RED typed value (`v` of type `vt`) as a JavaScript expression over `msg`, or undefined. */
export function valueJs(v: unknown, vt: unknown, msg = 'msg'): string | undefined {
  const s = v === undefined || v === null ? '' : String(v);
  switch (String(vt ?? 'str')) {
    case 'str':
      return JSON.stringify(s);
    case 'num':
      return String(Number(s));
    case 'bool':
      return s === 'true' ? 'true' : 'false';
    case 'json':
      try {
        return JSON.stringify(JSON.parse(s || 'null'));
      } catch {
        return undefined;
      }
    case 'date':
      return '$now.getTime()';
    case 'msg':
      return msg === 'msg' ? `__get(msg, ${JSON.stringify(dottedPath(s))})` : msgAccessor(s);
    case 'env':
      return `$env[${JSON.stringify(s)}]`;
    default:
      return undefined;
  }
}

/** A Node-RED typed value as a Weft parameter: literals stay literal, the rest become expressions. */
export function valueParam(v: unknown, vt: unknown): string | WeftTemplate | undefined {
  const t = String(vt ?? 'str');
  if (t === 'str') return v === undefined || v === null ? '' : String(v);
  if (t === 'num' || t === 'bool') return String(v ?? '');
  const js = valueJs(v, vt, '$json');
  return js === undefined ? undefined : weft(`{{ ${js} }}`);
}
