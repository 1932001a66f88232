import { buildCodeProgram, type SandboxProgram } from '../../expressions/programs.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
import { type CodeFileAccess, storeCreatedFiles, withFileContents } from './code-node-files.js';
import { toEngineErrorFromSandbox } from './sandbox-error.js';

const programs = new Map<string, SandboxProgram>();

function programFor(code: string, mode: 'allItems' | 'eachItem'): SandboxProgram {
  const key = `${mode}\u0000${code}`;
  let p = programs.get(key);
  if (!p) {
    if (programs.size > 1000) programs.clear();
    p = buildCodeProgram(code, mode);
    programs.set(key, p);
  }
  return p;
}

/** Runs JavaScript in the sandbox. */
export const codeNode = defineNodeType({
  type: 'weft.code',
  version: 1,
  displayName: 'Code',
  description: 'Runs JavaScript on the items, in a sandbox',
  group: 'code',
  docs:
    'The code is the body of an async function and runs in the sandbox with a memory limit and a timeout. **allItems**: runs ' +
    'once; `items` / `$input.all()` hold every item; return an array of items or plain objects. **eachItem**: runs per item ' +
    'with `$json` bound; return one object. `$("Node").all()`, `$env`, `$now` and the helpers `$date`, `$str`, `$arr`, `$obj` ' +
    'are available. `console.log` output is kept with the run. **Files**: items carry file references in `binary` ' +
    '(id, mimeType, fileName, size, sha256); with "Read files" set to base64 or text each input file also has its ' +
    'content in `data` (16 MiB per run). To create a file, return `binary: { report: { data: <base64>, mimeType, ' +
    "fileName } }` without an `id` (or `encoding: 'text'` with text in `data`); it is stored and the item carries its reference.",
  parameters: {
    mode: param.options({
      label: 'Run',
      options: [
        { value: 'allItems', label: 'Once for all items' },
        { value: 'eachItem', label: 'Once for each item' },
      ],
      default: 'allItems',
    }),
    files: param.options({
      label: 'Read files',
      options: [
        { value: 'refs', label: 'References only' },
        { value: 'base64', label: 'Content as base64 (binary.<name>.data)' },
        { value: 'text', label: 'Content as UTF-8 text (binary.<name>.data)' },
      ],
      default: 'refs',
    }),
    code: param.code({ label: 'JavaScript', language: 'javascript', default: 'return items;', required: true }),
  },
  execute: async (ctx) => {
    const program = programFor(ctx.params.code, ctx.params.mode ?? 'allItems');
    const access = (ctx.params.files ?? 'refs') as CodeFileAccess;
    const data = ctx.expressionData();
    if (access !== 'refs') data.items = await withFileContents(ctx, data.items, access);
    let items: Awaited<ReturnType<typeof ctx.sandbox.runCode>>['items'];
    try {
      const result = await ctx.sandbox.runCode({
        program,
        data,
        limits: ctx.sandboxLimits,
        label: `Code node "${ctx.node.name}"`,
      });
      if (result.logs.length) ctx.logger.info({ node: ctx.node.name, logs: result.logs }, 'code node output');
      items = result.items;
    } catch (e) {
      throw toEngineErrorFromSandbox(e);
    }
    return { outputs: { main: await storeCreatedFiles(ctx, items) } };
  },
});
