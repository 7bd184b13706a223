import { eraseProgramme } from '../commands/close-programme';
import { noticeCard } from '../presenters/setup';
import type { JobHandler } from './job-handler';

const LABEL: Record<string, [string, string]> = {
  contributions: ['contribution', 'contributions'],
  meetings: ['meeting', 'meetings'],
  people: ['person record', 'person records'],
  workstreams: ['workstream or programme record', 'workstream and programme records'],
  claims: ['involvement claim', 'involvement claims'],
  audit: ['audit entry', 'audit entries'],
  jobs: ['scheduled message or task', 'scheduled messages and tasks'],
  shown: ['record of a posted message', 'records of posted messages'],
  counters: ['report counter', 'report counters'],
  proposals: ['addition or agenda item an LXP proposed', 'additions and agenda items LXPs proposed'],
};

/**
 * Closes a programme (src/commands/close-programme.ts): queued in the tenant's own partition once its lead has
 * saved the export, claimed with a lease like every job, so a crash half-way is resumed by the next run. The work
 * is done at plan time and is safe to repeat; what is sent is the lead's note of what was erased.
 */
export const closeProgrammeHandler: JobHandler = {
  recipient(job) {
    return { kind: 'person', personId: String(job.payload.by) };
  },
  async plan(deps, job) {
    const closed = await eraseProgramme(deps, job.tenantId, String(job.payload.programmeId), String(job.payload.by));
    if (!closed) return undefined;
    const facts = Object.entries(closed.counts)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => ({ title: (LABEL[name] ?? [name, name])[n === 1 ? 0 : 1].replace(/^./, (c) => c.toUpperCase()), value: String(n) }));
    const card = noticeCard(
      'The programme is closed',
      'Everything it held has been erased, as you asked, after you saved the file. Its members have no access to it any more, and chats linked to it are unlinked. Only these counts are kept, in your organisation\'s record.',
      facts,
    );
    return { to: { kind: 'person', personId: closed.by }, message: { card, summary: 'The programme is closed' } };
  },
};
