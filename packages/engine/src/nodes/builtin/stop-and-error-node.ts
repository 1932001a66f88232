import { EngineError } from '../../execution/engine-error.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

/** Fails the execution on purpose, with a message. */
export const stopAndErrorNode = defineNodeType({
  type: 'weft.stopAndError',
  version: 1,
  displayName: 'Stop and error',
  description: 'Fails the execution with a message',
  group: 'flow',
  docs: 'When it runs (its input delivered items), the execution fails with this message and code `STOPPED_BY_NODE`.',
  parameters: {
    message: param.string({ label: 'Error message', required: true }),
  },
  outputs: [],
  execute: ({ params }) => {
    throw new EngineError('STOPPED_BY_NODE', params.message);
  },
});
