import { InterpreterSandbox } from '@weft/engine';
import { describeSandboxConformance } from './sandbox-conformance.js';

// QuickJS in WebAssembly: its interrupt handler stops tight loops and its runtime bounds memory.
describeSandboxConformance('InterpreterSandbox', () => new InterpreterSandbox(), {
  stopsSyncLoops: true,
  enforcesMemory: true,
});
