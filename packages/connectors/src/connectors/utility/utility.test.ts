import { createHash, createHmac } from 'node:crypto';
import { type Item, MemoryBlobStore, NodeRegistry } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { runNode } from '../../testing/node-context.js';
import { convertConnector } from './convert-connector.js';
import { cryptoConnector } from './crypto-connector.js';
import { dateTimeConnector, formatDate } from './date-time-connector.js';

const blobs = new MemoryBlobStore();
const registry = new NodeRegistry().register(
  ...connectorNodeTypes(cryptoConnector, { blobs }),
  ...connectorNodeTypes(dateTimeConnector, { blobs }),
  ...connectorNodeTypes(convertConnector, { blobs }),
);
const node = (type: string) => {
  const t = registry.get(type);
  if (!t) throw new Error(`missing ${type}`);
  return t;
};
const one = async (type: string, params: Record<string, unknown>, json: Record<string, string> = {}) =>
  (await runNode(node(type), { params, items: [{ json }] }))[0]?.json;

describe('crypto', () => {
  it('hashes and HMACs, keeping the item', async () => {
    expect(
      await one('crypto.hash', { value: 'hello', algorithm: 'sha256', encoding: 'hex', outputField: 'h' }, { a: '1' }),
    ).toEqual({
      a: '1',
      h: createHash('sha256').update('hello').digest('hex'),
    });
    expect((await one('crypto.hash', { value: 'x', algorithm: 'md5', encoding: 'base64', outputField: 'h' }))?.h).toBe(
      createHash('md5').update('x').digest('base64'),
    );
    expect(
      (await one('crypto.hmac', { value: 'v', secret: 'k', algorithm: 'sha512', encoding: 'hex', outputField: 'm' }))
        ?.m,
    ).toBe(createHmac('sha512', 'k').update('v').digest('hex'));
  });

  it('generates UUIDs and random bytes, with range checks', async () => {
    expect((await one('crypto.generate', { kind: 'uuid', length: 32, encoding: 'hex', outputField: 'r' }))?.r).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect((await one('crypto.generate', { kind: 'bytes', length: 16, encoding: 'hex', outputField: 'r' }))?.r).toMatch(
      /^[0-9a-f]{32}$/,
    );
    await expect(
      one('crypto.generate', { kind: 'bytes', length: 0, encoding: 'hex', outputField: 'r' }),
    ).rejects.toThrow('Bytes must be an integer from 1 to 1024, got 0');
  });
});

describe('dateTime', () => {
  it('formats in time zones', async () => {
    expect(formatDate(new Date('2026-07-01T12:00:00.045Z'), 'yyyy-MM-dd HH:mm:ss.SSS', 'Europe/Paris')).toBe(
      '2026-07-01 14:00:00.045',
    );
    expect(
      (
        await one('dateTime.format', {
          value: '2026-01-15T23:30:00Z',
          pattern: 'dd/MM/yyyy HH:mm',
          timezone: 'Asia/Tokyo',
          outputField: 'f',
        })
      )?.f,
    ).toBe('16/01/2026 08:30');
    await expect(
      one('dateTime.format', { value: 'soon', pattern: 'yyyy', timezone: 'UTC', outputField: 'f' }),
    ).rejects.toThrow('Date "soon" is not a date (use ISO 8601 or epoch ms)');
    await expect(
      one('dateTime.format', { value: '0', pattern: 'yyyy', timezone: 'Nowhere/X', outputField: 'f' }),
    ).rejects.toThrow('Time zone "Nowhere/X" is not a known IANA time zone');
  });

  it('adds durations and computes differences', async () => {
    expect(
      (await one('dateTime.add', { value: '2026-01-31T00:00:00Z', amount: 1, unit: 'days', outputField: 'd' }))?.d,
    ).toBe('2026-02-01T00:00:00.000Z');
    expect(
      (await one('dateTime.add', { value: '1767225600000', amount: -2, unit: 'hours', outputField: 'd' }))?.d,
    ).toBe('2025-12-31T22:00:00.000Z');
    expect(
      (await one('dateTime.add', { value: '2026-01-15T00:00:00Z', amount: 1, unit: 'years', outputField: 'd' }))?.d,
    ).toBe('2027-01-15T00:00:00.000Z');
    expect(
      (
        await one('dateTime.difference', {
          start: '2026-01-01T00:00:00Z',
          end: '2026-01-02T12:00:00Z',
          unit: 'hours',
          outputField: 'x',
        })
      )?.x,
    ).toBe(36);
    expect(
      (
        await one('dateTime.difference', {
          start: '2026-01-10T00:00:00Z',
          end: '2026-04-01T00:00:00Z',
          unit: 'months',
          outputField: 'x',
        })
      )?.x,
    ).toBe(3);
  });

  it('reports now', async () => {
    const before = Date.now();
    const now = (await one('dateTime.now', { timezone: 'UTC', outputField: 'now' }))?.now as {
      epochMs: number;
      iso: string;
    };
    expect(now.epochMs).toBeGreaterThanOrEqual(before);
    expect(new Date(now.iso).getTime()).toBe(now.epochMs);
  });
});

describe('convert', () => {
  it('round-trips CSV and JSON, quoting and nesting', async () => {
    const items: Item[] = [{ json: { id: 1, name: 'Ann, Jr.', tags: ['a'] } }, { json: { id: 2, name: 'Bo "B"' } }];
    const [csvItem] = await runNode(node('convert.jsonToCsv'), {
      params: { delimiter: ',', header: true, fileName: 'out.csv' },
      items,
    });
    expect(csvItem?.json.csv).toBe('id,name,tags\n1,"Ann, Jr.","[""a""]"\n2,"Bo ""B""",\n');
    expect(csvItem?.binary?.data?.mimeType).toBe('text/csv');
    const rows = await runNode(node('convert.csvToJson'), {
      params: { binaryProperty: 'data', delimiter: ',', header: true },
      items: [csvItem!],
    });
    expect(rows.map((r) => r.json)).toEqual([
      { id: '1', name: 'Ann, Jr.', tags: '["a"]' },
      { id: '2', name: 'Bo "B"', tags: '' },
    ]);
    const semi = await runNode(node('convert.csvToJson'), {
      params: { text: 'a;b\n1;2', binaryProperty: 'data', delimiter: ';', header: false },
    });
    expect(semi.map((r) => r.json)).toEqual([{ row: ['a', 'b'] }, { row: ['1', '2'] }]);
    await expect(
      runNode(node('convert.csvToJson'), {
        params: { text: 'a,b\n1,2,3', binaryProperty: 'data', delimiter: ',', header: true },
      }),
    ).rejects.toThrow(/CSV to JSON: .*Invalid Record Length/);
  });

  it('converts XML to JSON and back, with clear errors', async () => {
    const xml = '<order id="7"><item sku="A">2</item><item sku="B">3</item><note>fast</note></order>';
    const parsed = (await one('convert.xmlToJson', { text: xml, binaryProperty: 'data', outputField: 'data' }))?.data;
    expect(parsed).toEqual({
      order: {
        '@_id': '7',
        item: [
          { '#text': 2, '@_sku': 'A' },
          { '#text': 3, '@_sku': 'B' },
        ],
        note: 'fast',
      },
    });
    await expect(
      one('convert.xmlToJson', { text: '<a><b></a>', binaryProperty: 'data', outputField: 'd' }),
    ).rejects.toThrow(/XML to JSON: invalid XML at line 1/);
    const back = (
      await one('convert.jsonToXml', {
        value: { item: [{ '@_sku': 'A', '#text': 2 }] },
        root: 'order',
        outputField: 'xml',
      })
    )?.xml;
    expect(back).toContain('<order>');
    expect(back).toContain('<item sku="A">2</item>');
  });

  it('parses and writes JSON text', async () => {
    expect(
      (await one('convert.parseJson', { text: '{"a":[1,2]}', binaryProperty: 'data', outputField: 'd' }))?.d,
    ).toEqual({ a: [1, 2] });
    await expect(one('convert.parseJson', { text: '{bad', binaryProperty: 'data', outputField: 'd' })).rejects.toThrow(
      /Parse JSON:/,
    );
    expect((await one('convert.stringifyJson', { pretty: false, outputField: 't' }, { a: '1' }))?.t).toBe('{"a":"1"}');
  });
});
