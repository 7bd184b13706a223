/*
 * Programme priorities and the questions about you, through the commands over
 * memory stores: who may do what, what is stored and audited, and what `my
 * data` and `forget me` do with it.
 */
import { claimProgrammeLead, saveWorkstream } from '../../src/commands/setup';
import { ensurePerson, getProgramme, type Caller, type Deps } from '../../src/commands/deps';
import {
  confirmProgrammePriority, declineProgrammePriority, prioritiesFor, proposeProgrammePriority, retireProgrammePriority,
} from '../../src/commands/programme-priorities';
import { deleteEqualityAnswers, equalityAnswersOf, saveEqualityAnswers } from '../../src/commands/about-me';
import { boardData } from '../../src/commands/board-data';
import { collectMyData } from '../../src/commands/my-data';
import { forgetMe } from '../../src/commands/forget-me';
import type { Workstream } from '../../src/domain/workstream';
import { allDocs, testDeps } from '../support/memory-collection';
import { docProblem } from '../../src/storage/doc-schemas';

const T = 'tenant-1';
const who = (id: string, name: string): Caller => ({ id, tenantId: T, name });
const priya = who('priya', 'Priya Shah');
const chris = who('chris', 'Chris Doyle');
const sam = who('sam', 'Sam Okafor');
const alex = who('alex', 'Alex Rivera');

let deps: Deps;
let crisis: Workstream;
beforeEach(async () => {
  deps = testDeps();
  for (const p of [priya, chris, sam, alex]) await ensurePerson(deps, p);
  await claimProgrammeLead(deps, priya);
  crisis = (await saveWorkstream(deps, priya, { submissionId: 's1', name: 'Crisis pathway', chairIds: [chris.id], staffIds: [], lxpIds: [sam.id, alex.id], priorityAreas: ['Nights', 'Leaving hospital'] })).workstream;
});

const auditText = () => JSON.stringify(allDocs(deps.stores.audit));

it('an LXP proposes (once per press), the team confirms with areas; chairs and the team do not propose; the audit holds ids, never the words', async () => {
  await expect(proposeProgrammePriority(deps, chris, { title: 'Chairs idea', why: 'x' })).rejects.toThrow(/proposed by the programme's Lived Experience Practitioners/);
  await expect(proposeProgrammePriority(deps, priya, { title: 'Team idea', why: 'x' })).rejects.toThrow(/proposed by/);
  const p = await proposeProgrammePriority(deps, sam, { title: 'Care at night', why: 'Crises happen after five', submissionId: 'sub-1' });
  await proposeProgrammePriority(deps, sam, { title: 'Care at night', why: 'Crises happen after five', submissionId: 'sub-1' });
  expect((await getProgramme(deps, T))!.priorities).toHaveLength(1);
  expect(allDocs(deps.stores.audit).filter((e) => e.action === 'programme_priority.proposed')).toHaveLength(1);
  await expect(confirmProgrammePriority(deps, sam, p.id, [])).rejects.toThrow(/Only the programme team/);
  const confirmed = await confirmProgrammePriority(deps, priya, p.id, [crisis.priorityAreas[0].id]);
  expect(confirmed).toMatchObject({ status: 'confirmed', areaIds: [crisis.priorityAreas[0].id], decidedBy: priya.id });
  expect(auditText()).toContain('programme_priority.confirmed');
  expect(auditText()).not.toMatch(/Care at night|Crises happen/);
  expect(docProblem('workstreams', await getProgramme(deps, T))).toBeUndefined();
});

it('a sixth confirmation is refused and changes nothing stored; after a retirement it goes through', async () => {
  const ids: string[] = [];
  for (let n = 1; n <= 6; n++) ids.push((await proposeProgrammePriority(deps, n % 2 ? sam : alex, { title: `Priority ${n}`, why: `Why ${n}` })).id);
  for (const id of ids.slice(0, 5)) await confirmProgrammePriority(deps, priya, id, []);
  const before = await getProgramme(deps, T);
  await expect(confirmProgrammePriority(deps, priya, ids[5], [])).rejects.toMatchObject({ code: 'limit_reached' });
  expect((await getProgramme(deps, T))!.priorities).toEqual(before!.priorities);
  await retireProgrammePriority(deps, priya, ids[0]);
  await confirmProgrammePriority(deps, priya, ids[5], []);
  expect((await getProgramme(deps, T))!.priorities!.filter((p) => p.status === 'confirmed')).toHaveLength(5);
});

it('the LXP who proposed sees the reason it was declined; another LXP does not see their proposal', async () => {
  const p = await proposeProgrammePriority(deps, sam, { title: 'Parking', why: 'It costs too much' });
  await expect(declineProgrammePriority(deps, priya, p.id, '')).rejects.toThrow(/Give a reason/);
  await declineProgrammePriority(deps, priya, p.id, 'The trust sets parking charges');
  expect((await prioritiesFor(deps, sam)).priorities).toEqual([expect.objectContaining({ status: 'declined', reason: 'The trust sets parking charges' })]);
  expect((await prioritiesFor(deps, alex)).priorities).toEqual([]);
});

it('about me: an LXP answers, changes and deletes; a chair is not asked; only the team sees who takes part', async () => {
  await expect(saveEqualityAnswers(deps, chris, { age: '25_34' })).rejects.toThrow(/for the programme's Lived Experience Practitioners/);
  await expect(saveEqualityAnswers(deps, sam, { age: 'old' })).rejects.toMatchObject({ code: 'stale' });
  await saveEqualityAnswers(deps, sam, { age: '25_34', carer: 'prefer_not' });
  await saveEqualityAnswers(deps, sam, { age: '35_44' });
  const record = await equalityAnswersOf(deps, T, sam.id);
  expect(record).toMatchObject({ answers: { age: '35_44' } });
  expect(JSON.stringify(record)).not.toContain('Sam');
  expect(docProblem('people', record)).toBeUndefined();
  expect((await collectMyData(deps, sam)).aboutYou?.answers).toEqual([{ question: 'Age', answer: '35 to 44' }]);
  expect((await boardData(deps, chris)).whoTakesPart).toBeUndefined();
  expect((await boardData(deps, sam)).whoTakesPart).toBeUndefined();
  expect((await boardData(deps, priya)).whoTakesPart).toMatchObject({ lxps: 2, answered: 1 });
  expect((await boardData(deps, priya, 'public')).whoTakesPart).toBeUndefined();
  expect(auditText()).not.toContain('35_44');
  await deleteEqualityAnswers(deps, sam);
  expect(await equalityAnswersOf(deps, T, sam.id)).toBeUndefined();
  expect((await collectMyData(deps, sam)).aboutYou).toBeNull();
});

it('forget me erases the answers and the words of their proposals, keeping a confirmed title', async () => {
  await saveEqualityAnswers(deps, sam, { age: '25_34' });
  const kept = await proposeProgrammePriority(deps, sam, { title: 'Care at night', why: 'My own reasons' });
  await confirmProgrammePriority(deps, priya, kept.id, []);
  await proposeProgrammePriority(deps, sam, { title: 'Waiting one', why: 'More reasons' });
  expect((await collectMyData(deps, sam)).programmePrioritiesProposed.map((p) => p.title)).toEqual(['Care at night', 'Waiting one']);
  await forgetMe(deps, sam, sam.id);
  expect(await equalityAnswersOf(deps, T, sam.id)).toBeUndefined();
  const left = (await getProgramme(deps, T))!.priorities!;
  expect(left.map((p) => [p.title, p.status, p.why])).toEqual([['Care at night', 'confirmed', '']]);
  expect(JSON.stringify(allDocs(deps.stores.workstreams))).not.toMatch(/My own reasons|More reasons/);
});
