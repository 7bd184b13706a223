/**
 * `npm run bench`: each benchmark in its own process, one after another (they
 * would compete for the same cores), then each one's verdict. Exits non-zero
 * if any missed its goal. BENCH_ONLY=throughput,fanout picks some.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './lib';

const ALL = ['throughput', 'fanout', 'reports', 'footprint'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());

function run(name: string): Promise<{ code: number; last: string }> {
  return new Promise((resolve) => {
    console.log(`\n=== ${name} (bench/${name}.ts) ===`);
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'bench', `${name}.ts`)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      const lines = d.toString().trim().split('\n');
      last = lines[lines.length - 1] || last;
    });
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), last }));
  });
}

async function main() {
  const results: [string, { code: number; last: string }][] = [];
  for (const name of ALL.filter((n) => !only || only.includes(n))) results.push([name, await run(name)]);
  console.log('\n=== summary ===');
  for (const [name, r] of results) console.log(`${r.code === 0 ? 'PASS' : 'MISS'} ${name.padEnd(10)} ${r.last}`);
  const missed = results.filter(([, r]) => r.code !== 0).map(([n]) => n);
  console.log(`ratio: ${results.length - missed.length} of ${results.length} benchmarks met their goals${missed.length ? `; missed: ${missed.join(', ')}` : ''}`);
  process.exit(missed.length ? 1 : 0);
}

void main();
