import type { Server } from 'node:http';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { installTransactionalBatch } from './transactional-batch';

/**
 * The embedded Cosmos-compatible server (@vercel/cosmosdb-server), as the bot
 * runs it locally and the benchmarks run it in a process of their own.
 *
 * Its query engine (@zeit/cosmosdb-query 0.7.2) compiles `FROM c` into
 * `$c.reduce(($, c) => [...$, { c }], [])`, which copies the row list once
 * per document: every query, whatever its filter, cost O(n²) in the size of
 * the container (2.5 s at 20,000 contributions, past the SDK's 60 s timeout
 * at 100,000). Before the compiled query runs we rewrite that one expression
 * into the linear filter/map it means. Results are unchanged (a test runs
 * our query shapes through both); the server still scans every document, as
 * it has no index.
 */
const QUADRATIC = /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*\1: \1\s*\}\] : \$, \[\]\)/g;

export function linearFrom(code: string): string {
  return code.replace(QUADRATIC, (_m, c: string) => `$c.filter(($x) => typeof $x !== "undefined").map((${c}) => ({ ${c}: ${c} }))`);
}

/**
 * `ARRAY_CONTAINS(@ids, c.id)` (the `in` filter: a page of names, the people
 * a run of jobs will write to) calls the engine's generic ARRAY_CONTAINS once
 * per document, which checks its argument types and compares element by
 * element with a deep equality. For a plain value that is what
 * `Array.prototype.includes` does, so the compiled query gets a helper that
 * takes that path for plain values and hands anything else to the engine's.
 * The parameter is the same array for every document of one query, so the
 * helper makes it a Set once per query (Set.has and includes both compare by
 * SameValueZero): 100 ids over 10,000 documents is then one lookup per
 * document instead of up to 100 comparisons.
 */
const CONTAINS_CALL = /\$b\.ARRAY_CONTAINS\(/g;
const BODY = /^(\([^)]*\) => \{)/;
const CONTAINS_HELPER =
  'const $sets = new WeakMap(); ' +
  'const $arrayContains = (a, v, ...more) => { ' +
  'if (more.length !== 0 || !Array.isArray(a) || (v !== null && typeof v === "object")) return $b.ARRAY_CONTAINS(a, v, ...more); ' +
  'let s = $sets.get(a); if (!s) $sets.set(a, (s = new Set(a))); return s.has(v); };';

export function fastContains(code: string): string {
  if (!code.includes('$b.ARRAY_CONTAINS(') || !BODY.test(code)) return code;
  return code.replace(CONTAINS_CALL, () => '$arrayContains(').replace(BODY, (head) => `${head}\n  ${CONTAINS_HELPER}`);
}

/**
 * The engine strips `undefined` from every result it returns (JSON would turn one in an array into null) with
 * `reduce((o, v) => [...o, strip(v)], [])`, which copies the array once per element: O(n²) in the rows of a page
 * and in every array inside a document (a contribution's history). This does the same in one pass: arrays lose
 * their `undefined` elements, objects their `undefined` properties, recursively; anything else is returned as is.
 */
export function stripUndefined(obj: unknown): unknown {
  if (Array.isArray(obj)) {
    const out: unknown[] = [];
    for (const v of obj) if (typeof v !== 'undefined') out.push(stripUndefined(v));
    return out;
  }
  if (obj && typeof obj === 'object') {
    const out: Record<string, unknown> = {};
    const from = obj as Record<string, unknown>;
    for (const k of Object.keys(from)) {
      const v = from[k];
      if (typeof v !== 'undefined') out[k] = stripUndefined(v);
    }
    return out;
  }
  return obj;
}

interface Executor {
  default: (collection: unknown, options: { code: string }) => unknown;
  linearFrom?: true;
}

const queryExecutor = (): Executor => engineModule<Executor>('executor');

/** A module of the query engine, which is a dependency of the server, not of ours: resolved from there. */
function engineModule<T>(name: string): T {
  const server = require.resolve('@vercel/cosmosdb-server');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(require.resolve(`@zeit/cosmosdb-query/lib/${name}`, { paths: [server] })) as T;
}

type Compiled = (...args: unknown[]) => unknown;
interface ExecOptions { code: string; parameters?: { name: string; value: unknown }[]; udf?: object; maxItemCount?: number; continuation?: unknown; compositeIndexes?: unknown }

/**
 * The engine's executor compiles the query's JavaScript with `new Function` on every run, so the filter that
 * visits every document of the container is parsed and compiled again each time, and starts cold. The engine already caches each query's code (per SQL text); this keeps the compiled function per
 * code, and runs it exactly as the engine's executor does (same arguments, parameters by name without `@`).
 * The queries are parameterised, so there are few distinct ones; the cache is emptied past 500.
 */
function cachedExecutor(): (collection: unknown, options: ExecOptions) => unknown {
  const aggregates = engineModule('aggregate-functions');
  const builtins = engineModule('builtin-functions');
  const helpers = engineModule('helpers');
  const compiled = new Map<string, Compiled>();
  return (collection, { code, parameters, udf = {}, maxItemCount, continuation, compositeIndexes }) => {
    let execute = compiled.get(code);
    if (!execute) {
      // eslint-disable-next-line no-new-func
      execute = new Function(`"use strict";return (${fastContains(linearFrom(code))})`)() as Compiled;
      if (compiled.size >= 500) compiled.clear();
      compiled.set(code, execute);
    }
    const params: Record<string, unknown> = {};
    for (const { name, value } of parameters ?? []) params[name.slice(1)] = value;
    return execute(aggregates, builtins, collection, helpers, udf, params, maxItemCount, continuation, compositeIndexes);
  };
}

/** Idempotent; affects only the embedded server's engine in this process. */
export function installLinearQueries(): void {
  const executor = queryExecutor();
  if (executor.linearFrom) return;
  engineModule<{ stripUndefined: (obj: unknown) => unknown }>('helpers').stripUndefined = stripUndefined;
  executor.default = cachedExecutor() as Executor['default'];
  executor.linearFrom = true;
}

/**
 * Without keepAlive the server answers every request with "Connection: close",
 * and each store call pays for a new TCP connection on both ends. With it, the
 * server must not close idle connections on its own (Node's default after
 * 5 s): it sends no Keep-Alive hint, so the client could reuse a connection
 * just as it closes and get ECONNRESET. Closing the server still ends idle
 * connections.
 */
export function createEmbeddedServer(): Server {
  installLinearQueries();
  installTransactionalBatch();
  const server = createHttpServer({ keepAlive: true });
  server.keepAliveTimeout = 0;
  return server;
}
