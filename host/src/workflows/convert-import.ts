import { detectFormat, ImportError, type ImportReport, importN8n, importNodeRed } from '@weft/importers';
import { InvalidInputError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { checkWorkflow } from './workflow-service.js';

const CONVERTERS = { n8n: importN8n, 'node-red': importNodeRed } as const;

/** A format the workflow import accepts. */
export type ImportSource = 'weft' | keyof typeof CONVERTERS;

/** n8n or Node-RED workflows converted and validated, with the importer's report. */
export interface ConvertedImport {
  format: keyof typeof CONVERTERS;
  report: ImportReport;
  workflows: ReturnType<typeof checkWorkflow>[];
}

/**
 * Which format an import body is in: `from` when given, else n8n or Node-RED when the body looks
 * like one, else a Weft export document (`{ workflows: [...] }`). Anything else is a 400.
 *
 * @example
 * ```ts
 * importSource({ workflows: [] }); // 'weft'
 * ```
 */
export function importSource(body: unknown, from?: ImportSource): ImportSource {
  if (from) return from;
  const detected = detectFormat(body);
  if (detected) return detected;
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'workflows' in body) return 'weft';
  throw new InvalidInputError(
    'unknown-import-format',
    'The body is neither a Weft export document, an n8n export nor a Node-RED flows.json',
    {
      errors: [
        {
          in: 'body',
          path: '/',
          message: 'expected { workflows: [...] }, an n8n workflow export or a Node-RED flows.json',
        },
      ],
    },
  );
}

/**
 * Converts an n8n export or a Node-RED flows.json into validated Weft workflows; a body that is
 * not what `format` says answers 400 with the JSON pointer of the problem.
 *
 * @example
 * ```ts
 * const { report, workflows } = convertImport(runtime, flowsJson, 'node-red');
 * ```
 */
export function convertImport(rt: HostRuntime, body: unknown, format: keyof typeof CONVERTERS): ConvertedImport {
  let result: ReturnType<(typeof CONVERTERS)['n8n']>;
  try {
    result = CONVERTERS[format](body, { nodeTypes: rt.registry });
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    throw new InvalidInputError('invalid-import', `Not a ${format} export: ${e.message}`, {
      errors: [{ in: 'body', path: e.pointer || '/', message: e.reason }],
    });
  }
  const workflows = result.workflows.map((w, i) => checkWorkflow(rt, w, `converted/workflows/${i}`));
  return { format, report: result.report, workflows };
}
