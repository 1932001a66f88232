import { checkTemplate, isTemplate } from '../expressions/template.js';
import type { DynamicOptions, ParameterFields, ParameterSpec } from '../nodes/parameter-spec.js';
import type { ValidationProblem } from './validation-problem.js';

function escapePointer(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function shown(spec: ParameterSpec, values: Record<string, unknown>): boolean {
  const d = spec.displayOptions;
  if (!d) return true;
  for (const [k, allowed] of Object.entries(d.show ?? {})) if (!allowed.includes(values[k] as never)) return false;
  for (const [k, denied] of Object.entries(d.hide ?? {})) if (denied.includes(values[k] as never)) return false;
  return true;
}

function withDefault(spec: ParameterSpec, value: unknown): unknown {
  return value === undefined && 'default' in spec ? spec.default : value;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/**
 * Checks parameter values against their specs: required values, literal types, option values,
 * nested collections and lists, and the syntax of every `{{ }}` expression. Appends problems.
 */
export function validateParameters(
  fields: ParameterFields,
  values: Record<string, unknown>,
  path: string,
  nodeId: string,
  problems: ValidationProblem[],
): void {
  const effective: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(fields)) effective[k] = withDefault(s, values[k]);
  for (const [name, spec] of Object.entries(fields)) {
    const value = effective[name];
    const at = `${path}/${escapePointer(name)}`;
    if (!shown(spec, effective)) continue;
    if (value === undefined || value === null || value === '') {
      if (spec.required) {
        problems.push({
          path: at,
          code: 'missing-parameter',
          nodeId,
          message: `Parameter "${spec.label}" (${name}) is required`,
        });
      }
      continue;
    }
    checkValue(spec, value, at, nodeId, problems, name);
  }
}

function checkValue(
  spec: ParameterSpec,
  value: unknown,
  at: string,
  nodeId: string,
  problems: ValidationProblem[],
  name: string,
): void {
  const wrong = (expected: string) =>
    problems.push({
      path: at,
      code: 'parameter-type',
      nodeId,
      message: `Parameter "${spec.label}" (${name}) must be ${expected}, got ${typeOf(value)}`,
    });
  if (isTemplate(value)) {
    if (spec.kind === 'code') return;
    if (spec.expressions === false) {
      problems.push({
        path: at,
        code: 'parameter-type',
        nodeId,
        message: `Parameter "${spec.label}" (${name}) does not accept expressions`,
      });
      return;
    }
    for (const e of checkTemplate(value)) {
      problems.push({
        path: at,
        code: 'expression-syntax',
        nodeId,
        message: `Expression syntax error in "${spec.label}" (${name}) at character ${e.offset}: ${e.message}`,
      });
    }
    return;
  }
  switch (spec.kind) {
    case 'string':
    case 'code':
    case 'dateTime':
    case 'credential':
    case 'file':
      if (typeof value !== 'string') wrong('text');
      else if (spec.kind === 'dateTime' && Number.isNaN(Date.parse(value))) wrong('a date and time (ISO 8601)');
      return;
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) return void wrong('a number');
      if (spec.integer && !Number.isInteger(value)) wrong('a whole number');
      if (spec.min !== undefined && value < spec.min) wrong(`at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) wrong(`at most ${spec.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong('true or false');
      return;
    case 'options':
    case 'multiOptions': {
      const list = spec.kind === 'multiOptions' ? value : [value];
      if (!Array.isArray(list)) return void wrong('a list');
      if ((spec.options as DynamicOptions).loader) return;
      const allowed = (spec.options as readonly { value: string }[]).map((o) => o.value);
      for (const v of list) {
        if (!allowed.includes(v as string)) {
          problems.push({
            path: at,
            code: 'parameter-type',
            nodeId,
            message: `Parameter "${spec.label}" (${name}) must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(v)}`,
          });
        }
      }
      return;
    }
    case 'collection':
      if (typeOf(value) !== 'object') return void wrong('an object');
      validateParameters(spec.fields, value as Record<string, unknown>, at, nodeId, problems);
      return;
    case 'list':
      if (!Array.isArray(value)) return void wrong('a list');
      value.forEach((row, i) => {
        if (typeOf(row) !== 'object') {
          problems.push({
            path: `${at}/${i}`,
            code: 'parameter-type',
            nodeId,
            message: `Row ${i + 1} of "${spec.label}" must be an object`,
          });
        } else validateParameters(spec.fields, row as Record<string, unknown>, `${at}/${i}`, nodeId, problems);
      });
      return;
    case 'json':
      return;
  }
}
