import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** Parks the execution until a time, durably. */
export const waitNode = defineNodeType({
  type: 'weft.wait',
  version: 1,
  displayName: 'Wait',
  description: 'Pauses the execution for a time or until a date',
  group: 'flow',
  docs:
    'Parks the execution as **waiting** with its resume time stored, so it survives restarts; a worker resumes it when due. ' +
    'Then it passes its input items on unchanged.',
  parameters: {
    mode: param.options({
      label: 'Resume',
      options: [
        { value: 'duration', label: 'After a time interval' },
        { value: 'until', label: 'At a date and time' },
      ],
      default: 'duration',
    }),
    amount: param.number({ label: 'Amount', default: 1, min: 0, displayOptions: { show: { mode: ['duration'] } } }),
    unit: param.options({
      label: 'Unit',
      options: [
        { value: 'seconds', label: 'Seconds' },
        { value: 'minutes', label: 'Minutes' },
        { value: 'hours', label: 'Hours' },
        { value: 'days', label: 'Days' },
      ],
      default: 'seconds',
      displayOptions: { show: { mode: ['duration'] } },
    }),
    until: param.dateTime({ label: 'Date and time', displayOptions: { show: { mode: ['until'] } } }),
  },
  execute: ({ inputs, params, clock, state, node }) => {
    const due = state as { resumeAt: number } | undefined;
    let resumeAt = due?.resumeAt;
    if (resumeAt === undefined) {
      if (params.mode === 'until') {
        resumeAt = Date.parse(String(params.until ?? ''));
        if (Number.isNaN(resumeAt)) throw new Error(`Wait "${node.name}": "${params.until}" is not a date`);
      } else {
        resumeAt = clock.now() + (params.amount ?? 0) * UNIT_MS[params.unit ?? 'seconds'];
      }
    }
    if (resumeAt > clock.now()) return { wait: { kind: 'timer', resumeAt, state: { resumeAt } } };
    return { outputs: { main: inputs.main ?? [] } };
  },
});
