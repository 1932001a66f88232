/** One RFC 6902 JSON Patch operation (the subset the advice uses). */
export type JsonPatchOperation =
  | { op: 'remove'; path: string }
  | { op: 'add' | 'replace'; path: string; value: unknown };
