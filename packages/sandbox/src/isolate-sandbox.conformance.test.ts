import { describeSandboxConformance } from '@weft/testing';
import { IsolateSandbox } from './isolate-sandbox.js';

describeSandboxConformance('IsolateSandbox (sync dispatch)', () => new IsolateSandbox({ size: 2 }), {
  stopsSyncLoops: true,
  enforcesMemory: true,
});

describeSandboxConformance(
  'IsolateSandbox (async dispatch)',
  () => new IsolateSandbox({ size: 2, dispatch: 'async' }),
  {
    stopsSyncLoops: true,
    enforcesMemory: true,
  },
);
