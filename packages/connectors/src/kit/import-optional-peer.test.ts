import { describe, expect, it } from 'vitest';
import { importOptionalPeer } from './import-optional-peer.js';

describe('importOptionalPeer', () => {
  it('names the missing package, who needs it and how to install it', async () => {
    const name = 'weft-package-that-is-not-installed';
    const load = importOptionalPeer(() => import(/* @vite-ignore */ name), name, 'Example connector');
    await expect(load).rejects.toThrow(
      `The Example connector needs the package "${name}", an optional peer dependency: npm install ${name}`,
    );
  });

  it('returns the module when it is installed', async () => {
    const { default: pg } = await importOptionalPeer(() => import('pg'), 'pg', 'PostgreSQL connector');
    expect(typeof pg.Client).toBe('function');
  });

  it('passes on any other failure unchanged', async () => {
    const broken = new SyntaxError('Unexpected token in pg');
    await expect(importOptionalPeer(() => Promise.reject(broken), 'pg', 'PostgreSQL connector')).rejects.toBe(broken);
  });
});
