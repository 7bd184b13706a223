import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Names src/config.ts reads through its helpers; npm_* comes from npm itself, not from a person. */
function namesReadByConfig(): string[] {
  const source = read('src/config.ts');
  const names = [...source.matchAll(/\b(?:text|duration|positiveNumber|flag)\('([A-Za-z_][A-Za-z0-9_]*)'/g)].map((m) => m[1]);
  return [...new Set(names)].filter((n) => !n.startsWith('npm_')).sort();
}

/** `# NAME=default` lines, each with a plain-English comment line right above it. */
function sampleEntries(): Map<string, { value: string; meaning: string }> {
  const lines = read('.env.sample').split('\n');
  const entries = new Map<string, { value: string; meaning: string }>();
  lines.forEach((line, i) => {
    const m = /^# ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) entries.set(m[1], { value: m[2], meaning: lines[i - 1] ?? '' });
  });
  return entries;
}

describe('.env.sample', () => {
  it('lists every variable src/config.ts reads, and no others', () => {
    const names = namesReadByConfig();
    expect(names.length).toBeGreaterThan(20);
    expect([...sampleEntries().keys()].sort()).toEqual(names);
  });

  it('keeps every variable commented out, with a one-line meaning above it', () => {
    const active = read('.env.sample').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(active).toEqual([]);
    for (const [name, { meaning }] of sampleEntries()) {
      const isMeaning = /^# .{10,}$/.test(meaning) && !/^# [A-Za-z_][A-Za-z0-9_]*=/.test(meaning);
      expect([name, isMeaning]).toEqual([name, true]);
    }
  });

  it('shows the defaults PRODUCT.md gives', () => {
    const e = sampleEntries();
    const defaults = Object.fromEntries([...e].map(([k, v]) => [k, v.value]));
    expect(defaults).toMatchObject({
      PORT: '3978',
      PROGRAMME_TIMEZONE: 'Europe/London',
      FOLLOWUP_AFTER: 'P14D',
      REMINDER_EVERY: 'P7D',
      ESCALATE_AFTER: 'P14D',
      SCHEDULER_INTERVAL: 'PT1M',
      LOG_GRACE: 'P7D',
      RETENTION: 'P6Y',
      TEAMS_SEND_RATE: '7',
      TEAMS_TENANT_RATE: '50',
      GRAPH_INSTALL: 'off',
      PLAYGROUND: 'on',
      MicrosoftAppId: '',
      COSMOS_ENDPOINT: '',
    });
  });
});
