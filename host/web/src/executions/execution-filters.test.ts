import type { ExecutionRecord } from '@weft/client';
import { describe, expect, it } from 'vitest';
import {
  type ExecutionFilters,
  filterProblems,
  filtersToSearch,
  fromLocalInput,
  isContentSearch,
  isFiltered,
  matchesOffline,
  parseFilters,
  toExecutionQuery,
  toLocalInput,
} from './execution-filters.js';

const none: ExecutionFilters = { status: [], mode: [] };
const jan5 = Date.UTC(2026, 0, 5, 10, 30);

describe('execution filters in the URL', () => {
  it('round-trips every filter through the query string', () => {
    const f: ExecutionFilters = {
      workflowId: 'orders',
      status: ['failed', 'cancelled'],
      mode: ['webhook'],
      since: jan5,
      until: jan5 + 3_600_000,
      q: '0190',
      contains: 'acme corp',
      field: 'customer.email',
      value: 'ada@example.com',
      scanLimit: 200,
    };
    const search = filtersToSearch(f);
    expect(search).toBe(
      'workflowId=orders&status=failed%2Ccancelled&mode=webhook&since=2026-01-05T10%3A30%3A00.000Z' +
        '&until=2026-01-05T11%3A30%3A00.000Z&q=0190&contains=acme+corp&field=customer.email&value=ada%40example.com' +
        '&scanLimit=200',
    );
    expect(parseFilters(new URLSearchParams(search))).toEqual({ filters: f, ignored: [] });
  });

  it('writes nothing for no filters, and reads an empty query as no filters', () => {
    expect(filtersToSearch(none)).toBe('');
    expect(isFiltered(none)).toBe(false);
    expect(parseFilters(new URLSearchParams(''))).toEqual({ filters: none, ignored: [] });
  });

  it('accepts epoch-ms times as the API writes them, and reports what a bad link held', () => {
    const { filters, ignored } = parseFilters(
      new URLSearchParams(`status=failed,bogus,failed&mode=cron&since=${jan5}&until=yesterday&q=%20%20&scanLimit=0`),
    );
    expect(filters).toEqual({ status: ['failed'], mode: [], since: jan5 });
    expect(ignored).toEqual([
      'status: unknown value "bogus"',
      'mode: unknown value "cron"',
      'until: "yesterday" is not a date',
      'scanLimit: "0" is not a whole number from 1 to 10000',
    ]);
  });
});

describe('execution filters as a search', () => {
  it('names what keeps them from being searched', () => {
    expect(filterProblems({ ...none, since: jan5, until: jan5 })).toEqual(['“To” must be later than “From”']);
    expect(filterProblems({ ...none, field: 'total' })).toEqual(['Give a value to look for in total']);
    expect(filterProblems({ ...none, value: '42' })).toEqual([
      'Give the field to look for the value in (e.g. customer.email)',
    ]);
    expect(filterProblems({ ...none, field: 'total', value: '42', since: jan5 })).toEqual([]);
  });

  it('builds the API query with the page, sending field only with its value', () => {
    expect(toExecutionQuery({ ...none, status: ['failed'], field: 'total' }, { limit: 50, cursor: 'c1' })).toEqual({
      limit: 50,
      cursor: 'c1',
      status: ['failed'],
    });
    const q = toExecutionQuery({ ...none, mode: ['webhook', 'schedule'], contains: 'x', field: 'a.b', value: '1' });
    expect(q).toEqual({ mode: ['webhook', 'schedule'], contains: 'x', field: 'a.b', value: '1' });
    // The scan window only matters to a content search.
    expect(toExecutionQuery({ ...none, contains: 'x', scanLimit: 5 })).toEqual({ contains: 'x', scanLimit: 5 });
    expect(toExecutionQuery({ ...none, q: 'abc', scanLimit: 5 })).toEqual({ q: 'abc' });
    expect(isContentSearch({ ...none, contains: 'x' })).toBe(true);
    expect(isContentSearch({ ...none, field: 'a', value: '1' })).toBe(true);
    expect(isContentSearch({ ...none, q: 'abc' })).toBe(false);
  });

  it('filters cached executions by workflow, status, mode and start time offline', () => {
    const x = { workflowId: 'w', status: 'failed', mode: 'webhook', startedAt: jan5 } as ExecutionRecord;
    expect(matchesOffline(none, x)).toBe(true);
    expect(matchesOffline({ ...none, status: ['failed', 'cancelled'], mode: ['webhook'], workflowId: 'w' }, x)).toBe(
      true,
    );
    expect(matchesOffline({ ...none, status: ['succeeded'] }, x)).toBe(false);
    expect(matchesOffline({ ...none, mode: ['schedule'] }, x)).toBe(false);
    expect(matchesOffline({ ...none, since: jan5 + 1 }, x)).toBe(false);
    expect(matchesOffline({ ...none, until: jan5 }, x)).toBe(false);
  });

  it('converts datetime-local values in the browser’s zone both ways', () => {
    const local = toLocalInput(jan5);
    expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(fromLocalInput(local)).toBe(jan5);
    expect(fromLocalInput('')).toBeUndefined();
    expect(toLocalInput(undefined)).toBe('');
  });
});
