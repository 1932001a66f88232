import { describe, expect, it } from 'vitest';
import { MemoryBlobStore, putBinary, WorkflowEngine } from '../../index.js';
import { T, wf } from '../../test-utils.js';

const blobs = new MemoryBlobStore();
const engine = new WorkflowEngine({ blobs });
const code = (code: string, files = 'refs') =>
  wf([T, { name: 'C', type: 'weft.code', parameters: { code, files } }], ['T -> C']);

describe('code node files', () => {
  it('reads an input file as text and creates a new file that is stored, not inlined', async () => {
    const ref = await putBinary(
      blobs,
      { workspaceId: 'default', executionId: 'e0' },
      new TextEncoder().encode('a,b\n1,2'),
      {
        mimeType: 'text/csv',
        fileName: 'in.csv',
      },
    );
    const r = await engine.execute(
      code(
        `const csv = items[0].binary.data.data;
         return [{ json: { lines: csv.split('\\n').length }, binary: { upper: { data: csv.toUpperCase(), encoding: 'text', mimeType: 'text/csv', fileName: 'up.csv' }, data: items[0].binary.data } }];`,
        'text',
      ),
      { input: [{ json: {}, binary: { data: ref } }] },
    );
    expect(r.status, JSON.stringify(r.error)).toBe('succeeded');
    const item = r.output[0];
    expect(item?.json).toEqual({ lines: 2 });
    expect(item?.binary?.data).toEqual(ref);
    const made = item?.binary?.upper;
    expect(made).toMatchObject({ mimeType: 'text/csv', fileName: 'up.csv', size: 7 });
    expect(made?.id.startsWith(`default/${r.executionId}/`)).toBe(true);
    expect(made?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new TextDecoder().decode(await blobs.get(made?.id as string))).toBe('A,B\n1,2');
    expect(JSON.stringify(item)).not.toContain('A,B');
  });

  it('reads base64 and refuses a made-up reference to another workspace', async () => {
    const ref = await putBinary(blobs, { workspaceId: 'default', executionId: 'e1' }, new Uint8Array([1, 2, 255]), {
      mimeType: 'application/octet-stream',
    });
    const ok = await engine.execute(code('return [{ json: { b64: items[0].binary.f.data } }];', 'base64'), {
      input: [{ json: {}, binary: { f: ref } }],
    });
    expect(ok.output[0]?.json).toEqual({ b64: 'AQL/' });
    const forged = await engine.execute(
      code(`return [{ json: {}, binary: { x: { id: 'other/e/x', mimeType: 'text/plain', size: 1 } } }];`),
    );
    expect(forged.status).toBe('failed');
    expect(forged.error?.message).toContain('file reference of this workspace');
    const reading = await engine.execute(code('return items;', 'text'), {
      input: [{ json: {}, binary: { f: { ...ref, id: 'other/e1/x' } } }],
    });
    expect(reading.error?.message).toContain('not a file of this workspace');
  });
});
