/*
 * A person's programme index under two workstream edits at once (issue 19: a write from a stale read must not
 * leave the index naming too little). Edit A takes Sam off one workstream; edit B, landing while A drops Sam from
 * the index, puts Sam on another. Sam still has a role, so the programme must still be on Sam's index, or their
 * personal commands stop finding it.
 */
import { claimProgrammeLead, getWorkstream, saveWorkstream } from '../../src/commands/setup';
import { ensurePerson, inProgramme, type Caller, type Deps } from '../../src/commands/deps';
import { addMemberships, dropMembership, membershipsOf } from '../../src/commands/memberships';
import { rawCollection } from '../../src/domain/programme-stores';
import type { Doc } from '../../src/domain/ports';
import type { Workstream } from '../../src/domain/workstream';
import { TEST_PROGRAMME, testDeps } from '../support/memory-collection';

const T = 'tenant-1';
const who = (id: string, name: string): Caller => ({ id, tenantId: T, name });
const priya = who('priya', 'Priya Shah');
const chris = who('chris', 'Chris Doyle');
const sam = who('sam', 'Sam Okafor');

let deps: Deps;
let crisis: Workstream;
let housing: Workstream;
beforeEach(async () => {
  deps = testDeps();
  for (const p of [priya, chris, sam]) await ensurePerson(deps, p);
  await claimProgrammeLead(deps, priya);
  crisis = (await saveWorkstream(deps, priya, { submissionId: 's1', name: 'Crisis pathway', chairIds: [chris.id], staffIds: [], lxpIds: [sam.id], priorityAreas: [] })).workstream;
  housing = (await saveWorkstream(deps, priya, { submissionId: 's2', name: 'Housing', chairIds: [chris.id], staffIds: [], lxpIds: [], priorityAreas: [] })).workstream;
});

const edit = (ws: Workstream, lxpIds: string[]) =>
  saveWorkstream(deps, priya, { workstreamId: ws.id, expectedUpdatedAt: ws.updatedAt, name: ws.name, chairIds: ws.chairIds, staffIds: ws.staffIds, lxpIds, priorityAreas: [] });

/** Runs `meanwhile` just before the first write that takes the test programme off Sam's index. */
function beforeSamsDrop(meanwhile: () => Promise<unknown>) {
  const people = rawCollection(deps.stores.people) as unknown as { replace(doc: Doc): Promise<Doc> };
  const replace = people.replace.bind(people);
  let fired = false;
  people.replace = async (doc: Doc) => {
    const m = doc as Doc & { type?: string; personId?: string; programmes?: Record<string, unknown> };
    if (!fired && m.type === 'memberships' && m.personId === sam.id && !m.programmes?.[TEST_PROGRAMME]) {
      fired = true;
      await meanwhile();
    }
    return replace(doc);
  };
  return () => fired;
}

it('Sam, taken off one workstream while put on another, keeps the programme on their index', async () => {
  const fired = beforeSamsDrop(() => edit(housing, [sam.id]));
  await edit(crisis, []);
  expect(fired()).toBe(true);
  expect((await getWorkstream(deps, T, housing.id)).lxpIds).toEqual([sam.id]);
  expect(Object.keys((await membershipsOf(deps, T, sam.id))?.programmes ?? {})).toEqual([TEST_PROGRAMME]);
});

it('Sam, taken off their only workstream with nothing else happening, no longer has the programme on their index', async () => {
  await edit(crisis, []);
  const index = await membershipsOf(deps, T, sam.id);
  expect(Object.keys(index?.programmes ?? {})).toEqual([]);
  expect(Object.keys(index?.formerly ?? {})).toEqual([TEST_PROGRAMME]);
});

it('Sam, added to another programme while their last one lets them go, keeps the new programme on their index', async () => {
  // Sam leaves the test programme entirely (as forget me there, or its closing, does): their index would be empty.
  const people = rawCollection(deps.stores.people) as unknown as { delete(pk: string, id: string, etag?: string): Promise<void> };
  const del = people.delete.bind(people);
  let fired = false;
  people.delete = async (pk: string, id: string, etag?: string) => {
    if (!fired && pk.endsWith(`person:${sam.id}`)) {
      fired = true;
      await addMemberships(inProgramme(deps, T, 'prog-other'), T, [sam.id]);
    }
    return del(pk, id, etag);
  };
  await dropMembership(deps, T, sam.id);
  expect(fired).toBe(true);
  expect(Object.keys((await membershipsOf(deps, T, sam.id))?.programmes ?? {})).toEqual(['prog-other']);
});
