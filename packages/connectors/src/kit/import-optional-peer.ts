/**
 * Loads an optional peer dependency (a driver only some connectors need) and turns "not
 * installed" into an error that names the package and how to add it. Any other failure is
 * passed on unchanged.
 *
 * @example
 * ```ts
 * const { default: pg } = await importOptionalPeer(() => import('pg'), 'pg', 'PostgreSQL connector');
 * ```
 */
export async function importOptionalPeer<T>(load: () => Promise<T>, name: string, user: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, name))
      throw new Error(`The ${user} needs the package "${name}", an optional peer dependency: npm install ${name}`, {
        cause: error,
      });
    throw error;
  }
}

function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${name}'`);
}
