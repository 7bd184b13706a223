import { lastAttended, shouldTellSteppingBack, type Involvement } from '../../src/domain/stepping-back';
import { buildMeeting } from '../support/lxp-fixtures';

const TZ = 'Europe/London';
const SIX_WEEKS = { weeks: 6 };
const meetingOn = (id: string, day: string, there: boolean, workstreamId = 'ws1') =>
  buildMeeting({ id, workstreamId, startedAt: `${day}T10:00:00.000Z`, endedAt: `${day}T11:00:00.000Z`, attendance: there ? { sam: { name: 'Sam', spans: [{ joinedAt: `${day}T10:00:00.000Z` }] } } : {} });
const joined: Involvement = { since: '2026-01-01T00:00:00.000Z' };
const MEETINGS = [meetingOn('m1', '2026-01-10', true), meetingOn('m2', '2026-02-10', false), meetingOn('m3', '2026-03-10', false), meetingOn('x', '2026-03-01', true, 'ws9')];

describe('stepping back', () => {
  it('counts only meetings of their workstreams they attended', () => {
    expect(lastAttended('sam', ['ws1'], MEETINGS)).toBe('2026-01-10T10:00:00.000Z');
  });

  it('tells the programme team once the programme-set time has passed with meetings missed', () => {
    expect(shouldTellSteppingBack('sam', ['ws1'], MEETINGS, joined, SIX_WEEKS, new Date('2026-02-21T09:00:00Z'), TZ)).toBe(false);
    expect(shouldTellSteppingBack('sam', ['ws1'], MEETINGS, joined, SIX_WEEKS, new Date('2026-02-21T11:00:00Z'), TZ)).toBe(true);
  });

  it('tells once per absence: again only after they came back and stayed away again', () => {
    const told = { ...joined, steppingBackToldAt: '2026-02-21T11:00:00.000Z' };
    expect(shouldTellSteppingBack('sam', ['ws1'], MEETINGS, told, SIX_WEEKS, new Date('2026-05-01T00:00:00Z'), TZ)).toBe(false);
    const back = [...MEETINGS, meetingOn('m4', '2026-04-01', true), meetingOn('m5', '2026-05-01', false)];
    expect(shouldTellSteppingBack('sam', ['ws1'], back, told, SIX_WEEKS, new Date('2026-05-14T00:00:00Z'), TZ)).toBe(true);
  });

  it('never tells about an LXP who paused, or when their workstreams have not met', () => {
    expect(shouldTellSteppingBack('sam', ['ws1'], MEETINGS, { ...joined, paused: { at: '2026-01-20T00:00:00Z', stops: ['check_in'] } }, SIX_WEEKS, new Date('2026-06-01T00:00:00Z'), TZ)).toBe(false);
    expect(shouldTellSteppingBack('sam', ['ws1'], [MEETINGS[0]], joined, SIX_WEEKS, new Date('2026-06-01T00:00:00Z'), TZ)).toBe(false);
  });

  it('counts from when they joined if they have not attended yet', () => {
    expect(shouldTellSteppingBack('alex', ['ws1'], MEETINGS, { since: '2026-02-01T00:00:00.000Z' }, SIX_WEEKS, new Date('2026-03-14T00:00:00Z'), TZ)).toBe(false);
    expect(shouldTellSteppingBack('alex', ['ws1'], MEETINGS, { since: '2026-02-01T00:00:00.000Z' }, SIX_WEEKS, new Date('2026-03-16T00:00:00Z'), TZ)).toBe(true);
  });
});
