// Writes the published JSON Schema of a workflow (dist/workflow.schema.json) from the TypeBox source.
import { writeFileSync } from 'node:fs';
import { WorkflowSchema } from '../dist/model/workflow-schema.js';

const url = new URL('../dist/workflow.schema.json', import.meta.url);
writeFileSync(
  url,
  `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...WorkflowSchema }, null, 2)}\n`,
);
