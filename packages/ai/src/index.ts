export * from './catalogue/catalogue-entry.js';
export * from './catalogue/catalogue-index.js';
export * from './planner/generation-result.js';
export * from './planner/offline-planner.js';
export * from './planner/workflow-draft.js';
export * from './rules/fill-parameters.js';
export * from './rules/parse-condition.js';
export * from './rules/parse-schedule.js';
