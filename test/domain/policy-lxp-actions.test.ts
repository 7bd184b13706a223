import { can, type Action, type Actor, type Resource } from '../../src/domain/policy';
import type { Workstream } from '../../src/domain/workstream';

const T = 'tenant-1';
const ws: Workstream = { id: 'ws1', tenantId: T, type: 'workstream', name: 'Crisis care', chairIds: ['chris'], staffIds: ['dana'], lxpIds: ['sam', 'pat'], priorityAreas: [], chatIds: [], createdAt: '', updatedAt: '' };
const who = (id: string, programme = false): Actor => ({ id, tenantId: T, programme });
const SAM = who('sam');
const CHRIS = who('chris');
const DANA = who('dana');
const JORDAN = who('jordan', true);
/** Pat is an LXP and on the programme team. */
const PAT = who('pat', true);
const samsClaim: Resource = { type: 'claim', claim: { lxpId: 'sam' } };
const patsClaim: Resource = { type: 'claim', claim: { lxpId: 'pat' } };

const cases: [string, Actor, Action, Resource, boolean][] = [
  ['an LXP submits their own claim', SAM, 'submit_claim', samsClaim, true],
  ['nobody submits a claim for someone else, the programme team included', JORDAN, 'submit_claim', samsClaim, false],
  ['a chair cannot submit an LXP\'s claim', CHRIS, 'submit_claim', samsClaim, false],
  ['the programme team approves, queries or declines a claim', JORDAN, 'decide_claim', samsClaim, true],
  ['a member of staff cannot', DANA, 'decide_claim', samsClaim, false],
  ['a chair cannot', CHRIS, 'decide_claim', samsClaim, false],
  ['the LXP cannot decide their own claim', SAM, 'decide_claim', samsClaim, false],
  ['nor can a programme team member who is the LXP', PAT, 'decide_claim', patsClaim, false],
  ['the LXP sees their claim', SAM, 'view_claim', samsClaim, true],
  ['the programme team sees every claim', JORDAN, 'view_claim', samsClaim, true],
  ['a chair does not see an LXP\'s claim', CHRIS, 'view_claim', samsClaim, false],
  ['an LXP of the workstream proposes to it', SAM, 'propose_to_workstream', { type: 'workstream', workstream: ws }, true],
  ['staff do not propose as LXPs', DANA, 'propose_to_workstream', { type: 'workstream', workstream: ws }, false],
  ['an LXP of another tenant does not', { ...SAM, tenantId: 'other' }, 'propose_to_workstream', { type: 'workstream', workstream: ws }, false],
  ['the owner replies to an answer', CHRIS, 'reply_to_answer', { type: 'contribution', contribution: { ownerId: 'chris', lxpIds: ['sam'] }, workstream: ws }, true],
  ['the programme team does not reply in the owner\'s place', JORDAN, 'reply_to_answer', { type: 'contribution', contribution: { ownerId: 'chris', lxpIds: ['sam'] }, workstream: ws }, false],
  ['a claim is not a contribution to decide on', JORDAN, 'decide_claim', { type: 'programme' }, false],
];

test.each(cases)('%s', (_what, actor, action, resource, expected) => {
  expect(can(actor, action, resource)).toBe(expected);
});
