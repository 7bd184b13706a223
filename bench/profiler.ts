/** A CPU profile of just the part of a run that matters (BENCH_CPU_PROF), through node:inspector. */
import { Session } from 'node:inspector';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export function createProfiler() {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  return {
    async start() {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    },
    async stop(file: string) {
      const { profile } = await post('Profiler.stop');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}
