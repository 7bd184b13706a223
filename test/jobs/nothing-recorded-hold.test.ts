/*
 * "Nothing was recorded from you" after a meeting whose transcript the chair will be offered waits a day from the
 * meeting's end (the chair saves from the transcript in those hours). An LXP the chair ticks "was here" late in
 * LOG_GRACE is past that day already: they are told while they can still add to the meeting, not never.
 */
import { claimProgrammeLead, saveWorkstream } from '../../src/commands/setup';
import { ensurePerson, type Caller } from '../../src/commands/deps';
import { confirmAttendance } from '../../src/commands/meeting-end';
import { switchTranscriptSuggestions } from '../../src/commands/transcript-switch';
import { lxpCheckHandler } from '../../src/jobs/lxp-check';
import type { TranscriptSource } from '../../src/domain/ports';
import { cardText } from '../support/e2e';
import { movableClock } from '../support/job-store';
import { buildMeeting } from '../support/lxp-fixtures';
import { testDeps } from '../support/memory-collection';

const T = 'tenant-1';
const who = (id: string, name: string): Caller => ({ id, tenantId: T, name });
const priya = who('priya', 'Priya Shah');
const chris = who('chris', 'Chris Doyle');
const sam = who('sam', 'Sam Okafor');
const END = '2026-03-09T11:30:00.000Z';

it('Sam, ticked "was here" six and a half days after a transcribed meeting, is sent the card while the 7 days to add last', async () => {
  const clock = movableClock('2026-03-09T09:00:00.000Z');
  const transcripts: TranscriptSource = { fetch: async () => ({ ok: false, reason: 'no_transcript' }) };
  const deps = testDeps({ clock, transcripts });
  for (const p of [priya, chris, sam]) await ensurePerson(deps, p);
  await claimProgrammeLead(deps, priya);
  await switchTranscriptSuggestions(deps, priya, true);
  const { workstream } = await saveWorkstream(deps, priya, { submissionId: 's1', name: 'Crisis pathway', chairIds: [chris.id], staffIds: [], lxpIds: [sam.id], priorityAreas: [] });
  // Teams saw nobody join (Sam was on a phone line); the meeting had a transcript the chair could be offered.
  await deps.stores.meetings.create(buildMeeting({ id: 'm1', workstreamId: workstream.id, graphMeetingId: 'g-1', organiserId: chris.id, endedAt: END, attendance: {} }));

  clock.advance(Date.parse('2026-03-15T23:30:00.000Z') - clock.now().getTime());
  await confirmAttendance(deps, chris, 'm1', [sam.id]);

  const job = await deps.stores.jobs.get(T, 'lxp_check:sam:m1:none');
  expect(job).toBeDefined();
  const plan = await lxpCheckHandler.plan(deps, job!, new Date(job!.runAt));
  expect(plan?.to).toEqual({ kind: 'person', personId: sam.id });
  const text = cardText((plan!.message as { card: unknown }).card).replace(/\s+/g, ' ');
  expect(text).toContain('Nothing was recorded from you in Crisis pathway review');
  expect(text).toContain('You can add until Monday 16 March 2026');
});
