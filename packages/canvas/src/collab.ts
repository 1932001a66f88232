export * from './collab/same-workflow.js';
export * from './collab/shared-workflow.js';
export * from './collab/workflow-ydoc.js';
