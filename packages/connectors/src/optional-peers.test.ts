import { expect, it, vi } from 'vitest';

vi.mock('pg', () => {
  throw new Error("Cannot find package 'pg'");
});
vi.mock('ioredis', () => {
  throw new Error("Cannot find package 'ioredis'");
});
vi.mock('nodemailer', () => {
  throw new Error("Cannot find package 'nodemailer'");
});

it('loads without its optional peers pg, ioredis and nodemailer', async () => {
  const connectors = await import('./index.js');
  expect(connectors.builtinConnectors.map((c) => c.name)).toEqual(
    expect.arrayContaining(['postgres', 'redis', 'email']),
  );
});
