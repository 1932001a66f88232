export * from './cli/cli-error.js';
export * from './cli/read-document.js';
export * from './cli/run-command.js';
export * from './cli/validate-command.js';
export * from './cli/weft-cli.js';
