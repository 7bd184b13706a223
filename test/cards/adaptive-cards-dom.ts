import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import type * as ACModule from 'adaptivecards';
import { TEAMS_CHART_PROPERTIES } from './schema-1-5';

export type AdaptiveCardsModule = typeof ACModule;

export interface CardEvent {
  phase: string;
  event: string;
  message: string;
  /** The element or action that caused it, e.g. "Input.Text#words". */
  source: string;
}

/**
 * The `adaptivecards` package (the renderer Teams' web client is built on),
 * loaded from its browser bundle into a jsdom window, parsing for 1.5.
 */
export class AdaptiveCardsParser {
  private readonly dom = new JSDOM('<!doctype html><html><body></body></html>', { runScripts: 'outside-only', pretendToBeVisual: true });
  readonly AC: AdaptiveCardsModule;

  constructor() {
    this.dom.window.eval(readFileSync(require.resolve('adaptivecards/dist/adaptivecards.js'), 'utf8'));
    this.AC = (this.dom.window as unknown as { AdaptiveCards: AdaptiveCardsModule }).AdaptiveCards;
    if (!this.AC?.SerializationContext) throw new Error('adaptivecards/dist/adaptivecards.js did not define window.AdaptiveCards');
    // The library's defaults, stated: parse exactly what is in the JSON, nothing kept on the side.
    this.AC.GlobalSettings.enableFullJsonRoundTrip = false;
  }

  /**
   * Everything the parser reports for this card as Adaptive Cards 1.5: unknown
   * element and action types, properties newer than 1.5, invalid values; with
   * `validate`, also what validateProperties() finds (duplicate ids, inputs
   * without labels, empty choice sets...).
   */
  events(card: object, opts: { validate: boolean }): CardEvent[] {
    const { AC } = this;
    // Objects from the window's own realm, so nothing depends on cross-realm instanceof.
    const json = this.dom.window.JSON.parse(JSON.stringify(card));
    const parsed = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    parsed.parse(json, context);
    const raw: { phase: number; event: number; message: string; source?: unknown }[] = [];
    for (let i = 0; i < context.eventCount; i++) raw.push(context.getEventAt(i) as unknown as (typeof raw)[number]);
    if (opts.validate) raw.push(...(parsed.validateProperties().validationEvents as unknown as typeof raw));
    return raw
      .map((e) => ({
        phase: AC.ValidationPhase[e.phase] ?? String(e.phase),
        event: AC.ValidationEvent[e.event] ?? String(e.event),
        message: e.message,
        source: describe(e.source),
      }))
      .filter((e) => !teamsChart(e) && !placeholder(e));
  }

  /** What a 1.5 client shows: the card rendered by the package (Teams charts become their fallbacks), as text. */
  renderedText(card: object): string {
    const { AC } = this;
    // The renderer writes text with innerText, which jsdom does not implement.
    const proto = this.dom.window.HTMLElement.prototype;
    if (!Object.getOwnPropertyDescriptor(proto, 'innerText')) {
      Object.defineProperty(proto, 'innerText', {
        get(this: HTMLElement) { return this.textContent; },
        set(this: HTMLElement, v: string) { this.textContent = v; },
      });
    }
    const parsed = new AC.AdaptiveCard();
    parsed.parse(this.dom.window.JSON.parse(JSON.stringify(card)), new AC.SerializationContext(AC.Versions.v1_5));
    const element = parsed.render();
    if (!element) throw new Error('the adaptivecards renderer returned nothing');
    return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The version at which the package defines `property` on `typeName`, if it knows both. */
  propertyVersion(typeName: string, property: string): string | undefined {
    const { AC } = this;
    const registered = AC.GlobalRegistry.defaultElements.findByName(typeName) ?? AC.GlobalRegistry.defaultActions.findByName(typeName);
    const others: Record<string, () => ACModule.SerializableObject> = {
      AdaptiveCard: () => new AC.AdaptiveCard(),
      TextRun: () => new AC.TextRun(),
      Column: () => new AC.Column(),
      Fact: () => new AC.Fact(),
      'Input.Choice': () => new AC.Choice(),
    };
    const instance = registered ? new registered.objectType() : others[typeName]?.();
    if (!instance) return undefined;
    const schema = instance.getSchema();
    for (let i = 0; i < schema.getCount(); i++) {
      const p = schema.getItemAt(i);
      if (p.name === property && p.isSerializationEnabled) return p.targetVersion.toString();
    }
    return undefined;
  }

  close(): void {
    this.dom.window.close();
  }
}

/**
 * The parser meets a Teams chart as an unknown element and says it will use
 * the fallback: expected, since unknownProperties() (schema-1-5.ts) lets a
 * chart in only with a 1.5 fallback. Any other unknown type is still reported.
 */
function teamsChart(e: CardEvent): boolean {
  const type = /^Unknown element type "([^"]+)"/.exec(e.message)?.[1];
  return e.event === 'UnknownElementType' && !!type && type in TEAMS_CHART_PROPERTIES;
}

/**
 * In a template, a number-valued property (a column's weight) holds "${...}"
 * until it is filled; the filled samples are parsed with their real values,
 * and a placeholder left in a filled card fails the "every ${...} is filled" check.
 */
function placeholder(e: CardEvent): boolean {
  return e.event === 'InvalidPropertyValue' && e.message.includes('"${');
}

function describe(source: unknown): string {
  const s = source as { getJsonTypeName?: () => string; id?: string } | undefined;
  if (!s?.getJsonTypeName) return '';
  return `${s.getJsonTypeName()}${s.id ? `#${s.id}` : ''}`;
}
