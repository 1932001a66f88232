import { buildCodeProgram, type SandboxProgram } from '../../expressions/programs.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';
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
    'are available. `console.log` output is kept with the run.',
  parameters: {
    mode: param.options({
      label: 'Run',
      options: [
        { value: 'allItems', label: 'Once for all items' },
        { value: 'eachItem', label: 'Once for each item' },
      ],
      default: 'allItems',
    }),
    code: param.code({ label: 'JavaScript', language: 'javascript', default: 'return items;', required: true }),
  },
  execute: async (ctx) => {
    const program = programFor(ctx.params.code, ctx.params.mode ?? 'allItems');
    try {
      const result = await ctx.sandbox.runCode({
        program,
        data: ctx.expressionData(),
        limits: ctx.sandboxLimits,
        label: `Code node "${ctx.node.name}"`,
      });
      if (result.logs.length) ctx.logger.info({ node: ctx.node.name, logs: result.logs }, 'code node output');
      return { outputs: { main: result.items } };
    } catch (e) {
      throw toEngineErrorFromSandbox(e);
    }
  },
});
