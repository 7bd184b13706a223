/*
 * Draws the sample cards (test/cards/samples.ts) the way Teams' web client
 * does: the `adaptivecards` renderer in headless Chromium, with a host config
 * modelled on Teams' light theme, 480 px wide like a card in a chat.
 * Writes docs/cards/<card>.png, and <card>-open.png with the first
 * "show card" button pressed when the card has one.
 *
 *   ts-node scripts/render-cards.ts                 every card with a sample
 *   ts-node scripts/render-cards.ts minutes lxp-check
 *   ts-node scripts/render-cards.ts --variants      every variant: <card>--<variant>.png
 *
 * Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM=/path). Nothing
 * is downloaded: every request the page makes other than file:// is refused.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CARDS_DIR, type CardJson } from '../src/presenters/render-card';
import { SAMPLES, buildWorld } from '../test/cards/samples';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'cards');
const CARD_WIDTH = 480;

const FONT = '"Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif';

const colours = (normal: string, subtle: string) => ({ default: normal, subtle });
const FOREGROUND = {
  default: colours('#242424', '#616161'),
  dark: colours('#242424', '#616161'),
  light: colours('#FFFFFF', '#F5F5F5'),
  accent: colours('#5B5FC7', '#6264A7'),
  good: colours('#0E700E', '#107C10'),
  warning: colours('#835C00', '#8A6100'),
  attention: colours('#C4314B', '#B10E1C'),
};

/** Resembles Microsoft Teams' light theme host config (new Teams colours). */
export const TEAMS_LIGHT_HOST_CONFIG = {
  choiceSetInputValueSeparator: ',',
  supportsInteractivity: true,
  fontFamily: FONT,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 22, large: 24, extraLarge: 32 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: FOREGROUND },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: FOREGROUND },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: FOREGROUND },
    good: { backgroundColor: '#F1FAF1', foregroundColors: FOREGROUND },
    attention: { backgroundColor: '#FDF3F4', foregroundColors: FOREGROUND },
    warning: { backgroundColor: '#FFF9F5', foregroundColors: FOREGROUND },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
    allowTitleToWrap: true,
  },
  adaptiveCard: { allowCustomStyle: true },
  imageSet: { imageSize: 'medium', maxImageHeight: 100 },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 16,
  },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
    },
    errorMessage: { size: 'small', color: 'attention' },
  },
  textBlock: { headingLevel: 2 },
};

/** Teams' Fluent look for what the renderer leaves to CSS: buttons and inputs. */
const CSS = `
  html, body { margin: 0; background: #F5F5F5; }
  body { padding: 16px; font-family: ${FONT}; color: #242424; }
  #frame { width: ${CARD_WIDTH}px; background: #FFFFFF; border: 1px solid #E0E0E0; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
  .ac-pushButton { font-family: ${FONT}; font-size: 14px; font-weight: 600; line-height: 20px; min-height: 32px; padding: 5px 12px;
    border: 1px solid #D1D1D1; border-radius: 4px; background: #FFFFFF; color: #242424; white-space: normal; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-pushButton[aria-expanded="true"] { background: #EBEBEB; border-color: #C7C7C7; }
  .ac-input { font-family: ${FONT}; font-size: 14px; color: #242424; }
  .ac-textInput, .ac-dateInput, .ac-numberInput, .ac-timeInput, .ac-choiceSetInput-compact {
    box-sizing: border-box; min-height: 32px; padding: 5px 10px; border: 1px solid #D1D1D1; border-bottom-color: #616161;
    border-radius: 4px; background: #FFFFFF; }
  .ac-textInput.ac-multiline { min-height: 64px; resize: none; }
  .ac-input-container, .ac-choiceSetInput-expanded, .ac-choiceSetInput-multiSelect { font-size: 14px; }
  input[type="checkbox"], input[type="radio"] { accent-color: #5B5FC7; width: 16px; height: 16px; margin: 2px 8px 2px 0; }
`;

const PAGE_SCRIPT = `
  window.renderCard = function (card, hostConfig) {
    const AC = window.AdaptiveCards;
    const frame = document.getElementById('frame');
    frame.innerHTML = '';
    const adaptiveCard = new AC.AdaptiveCard();
    adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    adaptiveCard.parse(card, context);
    const problems = [];
    for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
    // No markdown processor: TextBlocks show their text as it is.
    const element = adaptiveCard.render();
    if (!element) throw new Error('the renderer returned nothing');
    frame.appendChild(element);
    return problems;
  };
`;

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function renderOne(page: Page, card: CardJson, file: string): Promise<string[]> {
  const problems = await page.evaluate(([c, host]) => (window as unknown as { renderCard(card: unknown, host: unknown): string[] }).renderCard(c, host), [card, TEAMS_LIGHT_HOST_CONFIG] as const);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.locator('#frame').screenshot({ path: file });
  return problems;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const variants = args.includes('--variants');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const cards = readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((name) => wanted.length === 0 || wanted.includes(name))
    .sort();
  for (const name of wanted) if (!cards.includes(name)) throw new Error(`There is no cards/${name}.json.`);

  mkdirSync(OUT, { recursive: true });
  const world = await buildWorld();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'gt-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: CARD_WIDTH + 64, height: 800 },
    deviceScaleFactor: 1,
    // A UK programme. Input.Date still shows mm/dd/yyyy: Debian's Chromium ships only the en-US UI locale.
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    offline: true,
  });
  const written: string[] = [];
  const missing: string[] = [];
  try {
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = context.pages()[0] ?? (await context.newPage());
    const html = path.join(userDataDir, 'card.html');
    writeFileSync(html, `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><style>${CSS}</style></head><body><div id="frame"></div></body></html>`);
    await page.goto(`file://${html}`);
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    await page.addScriptTag({ content: PAGE_SCRIPT });

    for (const name of cards) {
      const samples = SAMPLES[name];
      if (!samples) {
        missing.push(name);
        continue;
      }
      const chosen = Object.entries(samples).slice(0, variants ? undefined : 1);
      for (const [i, [variant, build]] of chosen.entries()) {
        const base = i === 0 ? name : `${name}--${slug(variant)}`;
        const card = await build(world);
        const problems = await renderOne(page, card, path.join(OUT, `${base}.png`));
        // A Teams chart is drawn here as its fallback (the renderer has no charts): expected, not a problem.
        const shown = problems.filter((m) => !/^Unknown element type "Chart\./.test(m));
        if (shown.length) console.warn(`cards/${name}.json (${variant}): ${shown.join('; ')}`);
        written.push(`${base}.png`);
        // The first "show card" button pressed, so its inputs can be seen too.
        const toggle = page.locator('#frame button[aria-expanded="false"]').first();
        if (await toggle.count()) {
          await toggle.click();
          await page.locator('#frame').screenshot({ path: path.join(OUT, `${base}-open.png`) });
          written.push(`${base}-open.png`);
        }
      }
    }
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`Wrote ${written.length} PNGs to ${path.relative(ROOT, OUT)}/: ${written.join(', ')}`);
  if (missing.length) console.warn(`No sample yet (add one in test/cards/samples.ts): ${missing.map((m) => `cards/${m}.json`).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
