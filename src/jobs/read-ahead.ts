import type { Deps } from '../commands/deps';
import { getMany, type Recipient } from '../domain/ports';
import type { Person } from '../domain/person';
import type { JobHandlers } from './job-handler';
import type { JobSender } from './job-sender';
import type { JobLogger } from './run-job';
import type { TrackedJob } from './schedule';

/** Jobs whose recipients are read together: one query per tenant and hundred people instead of two reads per job. */
const CHUNK = 100;

/**
 * What a run's jobs will need before they send, read in bulk a chunk ahead of
 * the jobs themselves: each recipient's person record (is Teams letting us
 * reach them?) and, through the sender, their conversation reference. Only
 * jobs whose handler names the recipient up front take part; the rest read
 * for themselves, as does any job whose chunk could not be read.
 */
export class ReadAhead {
  private readonly chunks = new Map<number, Promise<void>>();
  private readonly people = new Map<string, Person | null>();

  constructor(
    private readonly deps: Deps,
    private readonly handlers: JobHandlers,
    private readonly sender: JobSender,
    /** The jobs in the order the run takes them. */
    private readonly order: TrackedJob[],
    private readonly logger?: JobLogger,
  ) {}

  /** Resolves once the reads for the job at `index` (in run order) are done, and starts the next chunk's. */
  async before(index: number): Promise<void> {
    const chunk = Math.floor(index / CHUNK);
    void this.load(chunk + 1);
    await this.load(chunk);
  }

  /** The person as read ahead (null: no record), once; undefined when not read ahead. */
  person(tenantId: string, personId: string): Person | null | undefined {
    const key = `${tenantId}/${personId}`;
    const person = this.people.get(key);
    this.people.delete(key);
    return person;
  }

  private load(chunk: number): Promise<void> {
    let loading = this.chunks.get(chunk);
    if (!loading) {
      loading = this.read(this.order.slice(chunk * CHUNK, (chunk + 1) * CHUNK)).catch((err: Error) => {
        this.logger?.warn({ err: { message: err.message } }, 'could not read ahead for a run of jobs; each reads for itself');
      });
      this.chunks.set(chunk, loading);
    }
    return loading;
  }

  private async read(jobs: TrackedJob[]): Promise<void> {
    const byTenant = new Map<string, Recipient[]>();
    for (const job of jobs) {
      const to = this.handlers[job.kind]?.recipient?.(job);
      if (!to) continue;
      const list = byTenant.get(job.tenantId) ?? [];
      list.push(to);
      byTenant.set(job.tenantId, list);
    }
    await Promise.all(
      [...byTenant].map(async ([tenantId, recipients]) => {
        const personIds = recipients.flatMap((to) => (to.kind === 'person' ? [to.personId] : []));
        const [people] = await Promise.all([getMany(this.deps.stores.people, tenantId, personIds), this.sender.prepare?.(tenantId, recipients)]);
        for (const id of personIds) this.people.set(`${tenantId}/${id}`, people.get(id) ?? null);
      }),
    );
  }
}
