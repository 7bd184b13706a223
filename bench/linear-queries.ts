/**
 * A what-if, for benchmark 3 only (BENCH_LINEAR_QUERIES=1): the embedded
 * store's query engine (@zeit/cosmosdb-query 0.7.2, under
 * @vercel/cosmosdb-server) compiles `FROM c` into
 * `$c.reduce(($, c) => [...$, { c }], [])`, which copies the row list once
 * per document: every query costs O(n²) in the size of the container. This
 * rewrites that one expression into a linear filter/map before the compiled
 * query runs, in this process only, so the benchmark can show what the
 * report turn costs apart from that. The bot never loads this file.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const executor = require(require.resolve('@zeit/cosmosdb-query/lib/executor', { paths: [require.resolve('@vercel/cosmosdb-server')] })) as {
  default: (collection: unknown, options: { code: string }) => unknown;
};

const QUADRATIC = /\$c\.reduce\(\(\$, (\w+)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*\1: \1\s*\}\] : \$, \[\]\)/g;

export function installLinearQueries(): void {
  const original = executor.default;
  executor.default = (collection, options) =>
    original(collection, { ...options, code: options.code.replace(QUADRATIC, (_m, c: string) => `$c.filter(($x) => typeof $x !== "undefined").map((${c}) => ({ ${c}: ${c} }))`) });
}
