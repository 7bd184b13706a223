/*
 * Driving the Microsoft 365 Agents Playground (0.2.x) as a person does, with
 * selectors found by reading its page: chats are tree items named after the
 * chat, the compose box is the only textbox (a Lexical editor), "@" opens a
 * "Typeahead menu" listbox, cards are Adaptive Cards rendered with Fluent UI
 * (inputs are comboboxes and checkboxes named by their labels; multi-select
 * choices are menuitemcheckbox, single ones option). Adaptive Cards have no
 * role of their own, so a card is found by the renderer's class plus the text
 * it shows.
 */
import * as net from 'node:net';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags the issue asks for; Playwright adds --user-data-dir for launchPersistentContext. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHATS = { personal: 'Personal Chat', group: 'Mental health crisis pathway workstream' } as const;

/** A port nobody listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Every request the page makes is seen here before it leaves: local ones go
 * on, any other is answered locally (never sent) and recorded.
 */
export async function keepPageLocal(context: BrowserContext): Promise<string[]> {
  const outside: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (['data:', 'blob:', 'about:'].includes(url.protocol) || LOCAL_HOSTS.has(url.hostname)) return route.continue();
    outside.push(route.request().url());
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not fetched: tests stay on this machine' });
  });
  return outside;
}

export function cards(page: Page): Locator {
  return page.locator('.ac-adaptiveCard');
}

/** The newest card showing `text`, once it is on screen. */
export async function cardWith(page: Page, text: string | RegExp, timeout = 20_000): Promise<Locator> {
  const card = cards(page).filter({ hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout });
  return card;
}

/** The compose box: the one editable textbox outside the cards (a card's text input is a textbox too). */
export function composeBox(page: Page): Locator {
  return page.getByRole('textbox').and(page.locator('[contenteditable="true"]'));
}

export async function openChat(page: Page, name: string): Promise<void> {
  await page.getByRole('treeitem', { name }).click();
  await composeBox(page).waitFor();
}

/** Types in the compose box and sends with Enter. */
export async function say(page: Page, text: string): Promise<void> {
  const box = composeBox(page);
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** "@", pick the bot from the typeahead, then the rest: the message carries a real mention entity. */
export async function mention(page: Page, who: string, text: string): Promise<void> {
  const box = composeBox(page);
  await box.click();
  await page.keyboard.type('@');
  await page.getByRole('listbox', { name: 'Typeahead menu' }).getByRole('menuitem', { name: who }).click();
  await page.keyboard.type(` ${text}`);
  await expectText(box, `${who} ${text}`);
  await page.keyboard.press('Enter');
}

async function expectText(locator: Locator, text: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await locator.innerText()).replace(/\s+/g, ' ').trim() === text) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`compose box does not read "${text}" but "${await locator.innerText()}"`);
}

/**
 * Mock an Activity > Custom activity: the Playground's own way to send any
 * activity, here a message from another of its mock users (it has one
 * current user and no way to switch). The editor is Monaco: the JSON goes in
 * on one line, so neither auto-indent nor bracket closing can change it.
 */
export async function sendCustomActivity(page: Page, activity: Record<string, unknown>): Promise<void> {
  await page.getByRole('button', { name: 'Mock an Activity' }).click();
  await page.getByRole('menuitem', { name: 'Custom activity' }).click();
  const dialog = page.getByRole('dialog', { name: 'Custom activity' });
  await dialog.waitFor();
  await dialog.locator('.monaco-editor').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(activity));
  await dialog.getByRole('button', { name: 'Send activity' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A Fluent combobox in a card: open it and pick one option (single choice) or tick options (multi-select). */
export async function choose(page: Page, card: Locator, label: RegExp, options: string[], multi = false): Promise<void> {
  const box = card.getByRole('combobox', { name: label });
  if ((await box.getAttribute('aria-expanded')) !== 'true') await box.click();
  for (const name of options) await page.getByRole(multi ? 'menuitemcheckbox' : 'option', { name, exact: true }).click();
  if (multi) await page.keyboard.press('Escape');
}

/**
 * A report card row as the person reads it: the label, then this period,
 * before, change. The section heading "Contributions recorded" repeats as a
 * row label, so the row is the occurrence followed by figures.
 */
export function reportRow(text: string, label: string): string[] | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    // A table row is its label then figures; the chart fallback above the table lists labels on their own.
    if (lines[i] !== label || lines[i + 1] === label || !/^[+\-−]?\d/.test(lines[i + 1] ?? '')) continue;
    return lines.slice(i + 1, i + 4);
  }
  return undefined;
}

/** Screenshots of a card taller than the window: the window grows to hold it, then goes back. */
export async function screenshotCard(page: Page, card: Locator, path: string): Promise<void> {
  const size = page.viewportSize()!;
  const box = await card.boundingBox();
  if (box && box.height + 200 > size.height) await page.setViewportSize({ width: size.width, height: Math.ceil(box.height + 300) });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path });
  await page.setViewportSize(size);
}
