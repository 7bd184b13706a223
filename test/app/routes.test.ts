/*
 * The route table is the single source of what the bot answers: every verb a
 * card in cards/ uses and every command the Teams manifest lists has exactly
 * one route in it, and the catch-alls come last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CARDS_DIR } from '../../src/presenters/render-card';
import { ROUTES } from '../../src/app/routes';
import { PAYLOADS } from '../../src/app/payloads';

const verbsInCards = (): string[] => {
  const verbs = new Set<string>();
  for (const file of readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json'))) {
    for (const m of readFileSync(path.join(CARDS_DIR, file), 'utf8').matchAll(/"verb"\s*:\s*"([^"]+)"/g)) verbs.add(m[1]);
  }
  return [...verbs].sort();
};

const manifestCommands = (): string[] => {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../manifest/manifest.json'), 'utf8'));
  return [...new Set<string>(manifest.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title)))].sort();
};

test('cards/ uses verbs and the manifest lists commands', () => {
  expect(verbsInCards().length).toBeGreaterThan(10);
  expect(manifestCommands().length).toBeGreaterThan(5);
});

test.each(verbsInCards())('card verb %s has exactly one route', (verb) => {
  expect(ROUTES.filter((r) => r.on === 'verb' && r.verb === verb)).toHaveLength(1);
});

test.each(manifestCommands())('manifest command "%s" has exactly one route, and it is the first whose pattern matches', (title) => {
  const commands = ROUTES.flatMap((r) => (r.on === 'command' ? [r] : []));
  expect(commands.filter((r) => r.command === title)).toHaveLength(1);
  expect(commands.find((r) => r.pattern.test(title))?.command).toBe(title);
});

test('every verb route has a payload schema, and no verb is routed twice', () => {
  const verbs = ROUTES.flatMap((r) => (r.on === 'verb' ? [r.verb as string] : []));
  expect(new Set(verbs).size).toBe(verbs.length);
  for (const verb of verbs) expect(PAYLOADS).toHaveProperty(verb);
});

test('the catch-alls come after what they would otherwise hide', () => {
  const at = (on: string) => ROUTES.findIndex((r) => r.on === on);
  const last = (on: string) => ROUTES.map((r) => r.on as string).lastIndexOf(on);
  expect(ROUTES[ROUTES.length - 1].on).toBe('fallback');
  expect(at('unknown card action')).toBeGreaterThan(last('verb'));
  expect(at('fallback')).toBeGreaterThan(last('command'));
  expect(last('every turn')).toBeLessThan(at('verb'));
});
