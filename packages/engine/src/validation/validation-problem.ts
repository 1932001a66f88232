/** One thing wrong with a workflow, located by a JSON pointer into the document. */
export interface ValidationProblem {
  /** JSON pointer, e.g. `/nodes/2/parameters/url`. */
  path: string;
  message: string;
  /** Stable code for programs: `schema`, `unknown-node-type`, `duplicate-id`, ... */
  code: ValidationCode;
  /** The node the problem concerns, when there is one. */
  nodeId?: string;
}

/** The kinds of problem {@link validateWorkflow} reports. */
export type ValidationCode =
  | 'schema'
  | 'unknown-node-type'
  | 'duplicate-id'
  | 'duplicate-name'
  | 'dangling-connection'
  | 'dangling-pin-data'
  | 'unknown-port'
  | 'cycle'
  | 'missing-parameter'
  | 'parameter-type'
  | 'expression-syntax';

/** The outcome of validation: valid when `problems` is empty. */
export interface ValidationResult {
  valid: boolean;
  problems: ValidationProblem[];
}
