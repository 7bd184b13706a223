import query from '@zeit/cosmosdb-query';
import { buildQuery } from '../../src/storage/cosmos/cosmos-collection';
import { fastContains, installLinearQueries, linearFrom, stripUndefined } from '../../src/storage/cosmos/embedded-server';

/**
 * The embedded server's engine is rewritten to run `FROM c` in linear time
 * (src/storage/cosmos/embedded-server.ts). What a user would notice if the
 * rewrite went wrong is a report, a list or an export with the wrong rows, so
 * these run every query shape the bot builds through the engine as shipped
 * and as rewritten and compare what comes back, page by page. The speed is
 * measured by bench/reports.ts, not here.
 */
const executor = require(require.resolve('@zeit/cosmosdb-query/lib/executor', { paths: [require.resolve('@vercel/cosmosdb-server')] })) as {
  default: (collection: unknown, options: Record<string, unknown>) => { result: unknown[]; continuation: unknown };
};

const statuses = ['awaiting_outcome', 'overdue', 'escalated', 'fed_back', 'withdrawn'];
const docs = Array.from({ length: 240 }, (_, i) => ({
  id: `c${i}`,
  _rid: `rid${String(i).padStart(4, '0')}`,
  tenantId: i % 7 === 0 ? 'other-tenant' : 'tenant',
  // Every query names its partition (src/storage/containers.ts): here, a tenant each.
  pk: i % 7 === 0 ? 'other-tenant' : 'tenant',
  status: statuses[i % statuses.length],
  workstreamId: `ws${i % 4}`,
  meetingId: `m${i % 12}`,
  dueAt: new Date(Date.UTC(2026, 0, 1 + (i * 37) % 300)).toISOString(),
  priorityAreas: i % 3 === 0 ? ['access', 'crisis'] : ['housing'],
  ...(i % 5 === 0 ? { withdrawnAt: '2026-02-01T00:00:00.000Z' } : {}),
}));

const shapes = [
  buildQuery('tenant', []),
  buildQuery('tenant', [{ field: 'status', op: '=', value: 'overdue' }]),
  buildQuery('tenant', [{ field: 'meetingId', op: '=', value: 'm3' }], { orderBy: { field: 'dueAt', direction: 'ASC' } }),
  buildQuery('tenant', [{ field: 'dueAt', op: '<=', value: '2026-06-01T00:00:00.000Z' }, { field: 'workstreamId', op: '=', value: 'ws2' }], { orderBy: { field: 'dueAt', direction: 'DESC' } }),
  buildQuery('tenant', [{ field: 'priorityAreas', op: 'contains', value: 'crisis' }]),
  buildQuery('tenant', [{ field: 'withdrawnAt', op: 'defined' }]),
  buildQuery('tenant', [{ field: 'status', op: 'in', value: ['overdue', 'escalated'] }]),
  buildQuery('tenant', [{ field: 'id', op: 'in', value: ['c3', 'c8', 'c70', 'c141', 'nobody'] }]),
  buildQuery('tenant', [{ field: 'status', op: 'in', value: ['overdue', null, 3, 'overdue'] as never }]),
  buildQuery('tenant', [{ field: 'priorityAreas', op: 'in', value: [['access', 'crisis']] }]),
  buildQuery('tenant', [{ field: 'withdrawnAt', op: 'undefined' }, { field: 'status', op: '!=', value: 'fed_back' }]),
  buildQuery(undefined, []),
];

function pages(run: (options: Record<string, unknown>) => { result: unknown[]; continuation: unknown }, parameters: unknown) {
  const all: unknown[][] = [];
  let continuation: unknown;
  do {
    const page = run({ parameters, maxItemCount: 17, continuation });
    all.push(page.result);
    continuation = page.continuation;
  } while (continuation && all.length < 100);
  return all;
}

const helpers = require(require.resolve('@zeit/cosmosdb-query/lib/helpers', { paths: [require.resolve('@vercel/cosmosdb-server')] })) as { stripUndefined: (o: unknown) => unknown };

describe('the embedded store\'s query engine, rewritten to be linear', () => {
  const shipped = executor.default;
  const shippedStrip = helpers.stripUndefined;
  beforeAll(() => installLinearQueries());

  it.each(shapes.map((s) => [s.query, s]))('%s returns the same rows, in the same pages, as the engine as shipped', (_q, shape) => {
    const code = query(shape.query).code;
    // The shape must be one the rewrite recognises, or a newer engine changed and the speed is gone.
    expect(linearFrom(code)).not.toBe(code);
    if (code.includes('ARRAY_CONTAINS')) expect(fastContains(code)).not.toBe(code);
    const before = pages((o) => shipped(docs, { ...o, code }), shape.parameters);
    const after = pages((o) => query(shape.query).exec(docs, o as never) as never, shape.parameters);
    expect(after).toEqual(before);
    expect(after.flat().length).toBeGreaterThan(0);
  });

  it('strips undefined from what a query returns as the engine as shipped does, without its copy per element', () => {
    const value = { a: 1, b: undefined, c: [1, undefined, { d: undefined, e: [undefined, null, 'x'] }], f: null, g: { h: [] } };
    for (const v of [value, [value, undefined, value], docs, 'text', 3, null]) expect(stripUndefined(v)).toEqual(shippedStrip(v));
    expect(stripUndefined(value)).toEqual({ a: 1, c: [1, { e: [null, 'x'] }], f: null, g: { h: [] } });
    expect(Object.keys(stripUndefined(value) as object)).toEqual(['a', 'c', 'f', 'g']);
    expect(helpers.stripUndefined).toBe(stripUndefined);
  });

  it('is installed once however many stores open', () => {
    const installed = executor.default;
    installLinearQueries();
    expect(executor.default).toBe(installed);
    expect(installed).not.toBe(shipped);
  });
});
