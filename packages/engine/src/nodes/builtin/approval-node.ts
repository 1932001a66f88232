import type { JsonObject } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

/** Parks the execution until someone approves or rejects it. */
export const approvalNode = defineNodeType({
  type: 'weft.approval',
  version: 1,
  displayName: 'Wait for approval',
  description: 'Pauses until a person approves or rejects',
  group: 'flow',
  docs:
    'Parks the execution as **waiting** and publishes an `approval:required` event with the message. It resumes when a signal ' +
    'arrives (`engine.signal(id, { approved, by?, comment?, data? })`); the items go to **approved** or **rejected**, each with ' +
    'the decision under `approval`.',
  parameters: {
    message: param.string({ label: 'Message to the approver', default: 'Please approve', multiline: true }),
  },
  outputs: [{ name: 'approved' }, { name: 'rejected' }],
  execute: ({ inputs, params, resumed }) => {
    if (!resumed) {
      return {
        wait: {
          kind: 'signal',
          approval: { message: params.message ?? '', payload: { items: (inputs.main ?? []).length } },
        },
      };
    }
    const decision = (resumed.payload ?? {}) as JsonObject;
    if (typeof decision.approved !== 'boolean') {
      throw new Error('An approval signal needs a payload like { "approved": true }');
    }
    const items = (inputs.main ?? []).map((it) => ({ ...it, json: { ...it.json, approval: decision } }));
    return { outputs: decision.approved ? { approved: items, rejected: [] } : { approved: [], rejected: items } };
  },
});
