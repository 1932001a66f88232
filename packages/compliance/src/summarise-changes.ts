const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|cookie|private|credential|code$|otp|mfa/i;

/**
 * A change summary that is safe to keep forever: the names of the fields a request set (not their
 * values), with names that look secret kept but marked, plus any scalar `keep` values.
 *
 * @example
 * ```ts
 * summariseChanges({ name: 'x', data: { token: 'abc' } }); // { fields: ['data', 'name'] }
 * summariseChanges({ role: 'admin' }, ['role']); // { fields: ['role'], role: 'admin' }
 * ```
 */
export function summariseChanges(body: unknown, keep: readonly string[] = []): Record<string, unknown> | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const fields = Object.keys(record).sort();
  if (fields.length === 0) return null;
  const out: Record<string, unknown> = { fields };
  for (const k of keep) {
    const v = record[k];
    if (!SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
      out[k] = typeof v === 'string' ? v.slice(0, 200) : v;
  }
  return out;
}
