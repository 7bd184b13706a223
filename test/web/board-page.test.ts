import { esc, renderBoardTab, renderPublishedPage } from '../../src/web/board-page';
import { filterFrom } from '../../src/web/routes';
import type { Board } from '../../src/domain/board';

const EVIL = `<script>alert("x")</script><img src="https://evil.example/x.png" onerror='y'>`;
const board: Board = {
  entries: [{
    id: 'c1"><b', meetingDate: '2026-03-03T10:00:00Z', month: '2026-03', workstreamId: 'w1', workstreamName: EVIL, priorityAreas: [{ id: 'a1', name: EVIL }], kind: 'Suggestion',
    saidBy: EVIL, words: EVIL, status: 'adopted', outcome: { whatWeDid: EVIL, reason: EVIL, decidedAt: '2026-03-10T10:00:00Z' }, latestAt: '2026-03-10T10:00:00Z',
  }],
  months: [{ month: '2026-03', contributions: 1, outcomes: { adopted: 1, partly_adopted: 0, not_taken_forward: 0, under_consideration: 0, passed_on: 0 }, medianDaysToWeDid: 7, answers: { helpful: 0, want_to_talk: 0, does_not_reflect: 0, disagree_decision: 0 }, attendance: 2 }],
};
const tab = () => renderBoardTab({
  board, workstreams: [{ id: 'w1', name: EVIL, priorityAreas: [{ id: 'a1', name: EVIL, proposedBy: 'x' }] }], filter: { workstreamId: 'w1' }, timeZone: 'Europe/London',
  now: new Date('2026-03-31T10:00:00Z'), scope: EVIL, carry: { user: `sam"><script>` },
}, '/tab/board');

describe('the board pages', () => {
  it('escape everything a person typed, in text and in attributes', () => {
    for (const html of [tab(), renderPublishedPage({ board, timeZone: 'Europe/London', now: new Date() })]) {
      expect(html).not.toMatch(/<(script|img)\b/i);
      expect(html).not.toMatch(/\b(src|href|action)="https?:/i);
      expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    }
  });

  it('draw each chart with a title and a table, and keep the filter chosen', () => {
    const html = tab();
    expect(html.match(/<svg role="img"/g)).toHaveLength(5);
    expect(html.match(/<table>/g)).toHaveLength(5);
    expect(html).toContain('<option value="w1" selected>');
    expect(html).toMatch(/<input type="hidden" name="user" value="sam&#34;&#62;&#60;script&#62;">/);
  });

  it('esc covers the five characters HTML gives meaning to', () => {
    expect(esc(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });
});

describe('the filter from the query string', () => {
  it('keeps what it understands and drops the rest', () => {
    expect(filterFrom(new URLSearchParams('area=a1&area=a2&workstream=w1&status=adopted&from=2026-01&to=2026-13'))).toEqual({
      areaIds: ['a1', 'a2'], workstreamId: 'w1', status: 'adopted', fromMonth: '2026-01', toMonth: undefined,
    });
    expect(filterFrom(new URLSearchParams('status=deleted&area=&from=March'))).toEqual({ areaIds: undefined, workstreamId: undefined, status: undefined, fromMonth: undefined, toMonth: undefined });
  });
});
