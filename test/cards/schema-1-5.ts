/*
 * The properties Adaptive Cards 1.5 allows on each element and action type,
 * from the 1.5 schema (adaptivecards.io/schemas/1.5.0/adaptive-card.json).
 * The `adaptivecards` parser ignores properties it does not know, so a typo
 * ("weigth") or a property from a later version that the parser has no
 * definition for would pass it silently; this table catches those.
 *
 * Only properties a Teams card can use are listed; if a card needs one that
 * is missing, check it is in the 1.5 schema before adding it here.
 */

/** adaptivecards-templating keys, removed when a template is expanded. */
export const TEMPLATING_KEYS = ['$data', '$when'];

const ELEMENT = ['type', 'id', 'isVisible', 'requires', 'fallback', 'height', 'separator', 'spacing'];
const INPUT = [...ELEMENT, 'label', 'isRequired', 'errorMessage'];
const ACTION = ['type', 'id', 'title', 'iconUrl', 'style', 'fallback', 'tooltip', 'isEnabled', 'mode', 'requires'];
const CONTAINER_LIKE = ['items', 'selectAction', 'style', 'verticalContentAlignment', 'bleed', 'backgroundImage', 'minHeight', 'rtl'];

/** Root and Action.ShowCard cards. `msteams` is Teams' own extension (width, mentions). */
export const CARD_PROPERTIES = [
  'type', 'version', '$schema', 'body', 'actions', 'selectAction', 'fallbackText', 'backgroundImage', 'minHeight', 'rtl',
  'speak', 'lang', 'verticalContentAlignment', 'refresh', 'authentication', 'msteams',
];

export const ELEMENT_PROPERTIES: Record<string, string[]> = {
  TextBlock: [...ELEMENT, 'text', 'color', 'fontType', 'horizontalAlignment', 'isSubtle', 'maxLines', 'size', 'weight', 'wrap', 'style'],
  RichTextBlock: [...ELEMENT, 'inlines', 'horizontalAlignment'],
  Image: [...ELEMENT, 'url', 'altText', 'backgroundColor', 'horizontalAlignment', 'selectAction', 'size', 'style', 'width'],
  Media: [...ELEMENT, 'sources', 'poster', 'altText'],
  Container: [...ELEMENT, ...CONTAINER_LIKE],
  ColumnSet: [...ELEMENT, 'columns', 'selectAction', 'style', 'bleed', 'minHeight', 'horizontalAlignment'],
  FactSet: [...ELEMENT, 'facts'],
  ImageSet: [...ELEMENT, 'images', 'imageSize'],
  ActionSet: [...ELEMENT, 'actions'],
  Table: [...ELEMENT, 'columns', 'rows', 'firstRowAsHeader', 'showGridLines', 'gridStyle', 'horizontalCellContentAlignment', 'verticalCellContentAlignment'],
  'Input.Text': [...INPUT, 'isMultiline', 'maxLength', 'placeholder', 'regex', 'style', 'inlineAction', 'value'],
  'Input.Number': [...INPUT, 'max', 'min', 'placeholder', 'value'],
  'Input.Date': [...INPUT, 'max', 'min', 'placeholder', 'value'],
  'Input.Time': [...INPUT, 'max', 'min', 'placeholder', 'value'],
  'Input.Toggle': [...INPUT, 'title', 'value', 'valueOff', 'valueOn', 'wrap'],
  'Input.ChoiceSet': [...INPUT, 'choices', 'isMultiSelect', 'style', 'value', 'placeholder', 'wrap'],
};

export const ACTION_PROPERTIES: Record<string, string[]> = {
  'Action.Execute': [...ACTION, 'verb', 'data', 'associatedInputs'],
  'Action.Submit': [...ACTION, 'data', 'associatedInputs'],
  'Action.OpenUrl': [...ACTION, 'url'],
  'Action.ShowCard': [...ACTION, 'card'],
  'Action.ToggleVisibility': [...ACTION, 'targetElements'],
};

/**
 * Teams' chart elements, which Teams draws inside a version 1.5 card (its own
 * samples declare 1.5: learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards).
 * They are not in the 1.5 schema: a client that cannot draw them (Teams on
 * phones, the adaptivecards package) meets an unknown element type and renders
 * its `fallback`, the 1.5 mechanism made for that. So a chart is allowed only
 * with a fallback that is itself a 1.5 element, checked like any other.
 */
export const TEAMS_CHART_PROPERTIES: Record<string, string[]> = {
  'Chart.HorizontalBar': [...ELEMENT, 'title', 'color', 'colorSet', 'data', 'displayMode', 'xAxisTitle', 'yAxisTitle', 'horizontalAlignment'],
};
const CHART_POINT = ['x', 'y', 'color'];

/** Objects that are neither elements nor actions, by where they appear. */
export const PART_PROPERTIES: Record<string, string[]> = {
  TextRun: ['type', 'text', 'color', 'fontType', 'highlight', 'isSubtle', 'italic', 'selectAction', 'size', 'strikethrough', 'underline', 'weight'],
  Column: ['type', 'id', 'isVisible', 'requires', 'fallback', 'separator', 'spacing', 'width', ...CONTAINER_LIKE],
  Fact: ['title', 'value'],
  'Input.Choice': ['title', 'value'],
  MediaSource: ['mimeType', 'url'],
  TableColumnDefinition: ['type', 'width', 'horizontalCellContentAlignment', 'verticalCellContentAlignment'],
  TableRow: ['type', 'cells', 'style', 'horizontalCellContentAlignment', 'verticalCellContentAlignment'],
  TableCell: ['type', ...CONTAINER_LIKE],
  TargetElement: ['elementId', 'isVisible'],
  BackgroundImage: ['url', 'fillMode', 'horizontalAlignment', 'verticalAlignment'],
};

export interface Finding {
  path: string;
  message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Every property not allowed by 1.5 where it stands, and every unknown
 * element or action type, walking the whole card including Action.ShowCard
 * cards, selectActions and fallbacks. Works on templates (allows $data and
 * $when) and on filled cards.
 */
export function unknownProperties(card: unknown): Finding[] {
  const findings: Finding[] = [];
  const check = (node: Json, allowed: string[], path: string, what: string) => {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key) && !TEMPLATING_KEYS.includes(key)) findings.push({ path: `${path}.${key}`, message: `"${key}" is not a 1.5 property of ${what}` });
    }
  };
  const list = (v: unknown, path: string, each: (item: unknown, path: string) => void) => {
    if (Array.isArray(v)) v.forEach((item, i) => each(item, `${path}[${i}]`));
    else if (v !== undefined) findings.push({ path, message: 'should be an array' });
  };
  const objectOf = (v: unknown, path: string, what: string, allowed: string[], then?: (o: Json) => void) => {
    if (!isObject(v)) return findings.push({ path, message: `${what} should be an object` });
    check(v, allowed, path, what);
    then?.(v);
  };

  const visitCard = (c: unknown, path: string) =>
    objectOf(c, path, 'AdaptiveCard', CARD_PROPERTIES, (o) => {
      if (o.type !== 'AdaptiveCard') findings.push({ path: `${path}.type`, message: 'should be "AdaptiveCard"' });
      list(o.body, `${path}.body`, visitElement);
      list(o.actions, `${path}.actions`, visitAction);
      if (o.selectAction !== undefined) visitAction(o.selectAction, `${path}.selectAction`);
      visitBackground(o.backgroundImage, `${path}.backgroundImage`);
    });

  const visitBackground = (v: unknown, path: string) => {
    if (v !== undefined && typeof v !== 'string') objectOf(v, path, 'BackgroundImage', PART_PROPERTIES.BackgroundImage);
  };

  const visitFallback = (v: unknown, path: string, visit: (item: unknown, path: string) => void) => {
    if (v !== undefined && v !== 'drop') visit(v, path);
  };

  const visitContainerLike = (o: Json, path: string) => {
    list(o.items, `${path}.items`, visitElement);
    if (o.selectAction !== undefined) visitAction(o.selectAction, `${path}.selectAction`);
    visitBackground(o.backgroundImage, `${path}.backgroundImage`);
  };

  function visitElement(e: unknown, path: string): void {
    if (!isObject(e)) return void findings.push({ path, message: 'an element should be an object' });
    const type = String(e.type);
    if (TEAMS_CHART_PROPERTIES[type]) return visitChart(e, type, path);
    const allowed = ELEMENT_PROPERTIES[type];
    if (!allowed) return void findings.push({ path, message: `unknown element type "${type}" (not in the 1.5 table in test/cards/schema-1-5.ts)` });
    check(e, allowed, path, type);
    visitFallback(e.fallback, `${path}.fallback`, visitElement);
    if (e.selectAction !== undefined) visitAction(e.selectAction, `${path}.selectAction`);
    switch (type) {
      case 'Container':
        visitContainerLike(e, path);
        break;
      case 'RichTextBlock':
        list(e.inlines, `${path}.inlines`, (run, p) => {
          if (typeof run === 'string') return;
          objectOf(run, p, 'TextRun', PART_PROPERTIES.TextRun, (r) => {
            if (r.type !== 'TextRun') findings.push({ path: `${p}.type`, message: 'an inline should be a TextRun' });
            if (r.selectAction !== undefined) visitAction(r.selectAction, `${p}.selectAction`);
          });
        });
        break;
      case 'ColumnSet':
        list(e.columns, `${path}.columns`, (col, p) =>
          objectOf(col, p, 'Column', PART_PROPERTIES.Column, (c) => {
            if (c.type !== undefined && c.type !== 'Column') findings.push({ path: `${p}.type`, message: 'should be "Column"' });
            visitFallback(c.fallback, `${p}.fallback`, visitElement);
            visitContainerLike(c, p);
          }),
        );
        break;
      case 'FactSet':
        list(e.facts, `${path}.facts`, (f, p) => objectOf(f, p, 'Fact', PART_PROPERTIES.Fact));
        break;
      case 'ImageSet':
        list(e.images, `${path}.images`, visitElement);
        break;
      case 'Media':
        list(e.sources, `${path}.sources`, (s, p) => objectOf(s, p, 'MediaSource', PART_PROPERTIES.MediaSource));
        break;
      case 'ActionSet':
        list(e.actions, `${path}.actions`, visitAction);
        break;
      case 'Table':
        list(e.columns, `${path}.columns`, (c, p) => objectOf(c, p, 'TableColumnDefinition', PART_PROPERTIES.TableColumnDefinition));
        list(e.rows, `${path}.rows`, (r, p) =>
          objectOf(r, p, 'TableRow', PART_PROPERTIES.TableRow, (row) =>
            list(row.cells, `${p}.cells`, (cell, cp) => objectOf(cell, cp, 'TableCell', PART_PROPERTIES.TableCell, (tc) => visitContainerLike(tc, cp))),
          ),
        );
        break;
      case 'Input.ChoiceSet':
        list(e.choices, `${path}.choices`, (c, p) => objectOf(c, p, 'Input.Choice', PART_PROPERTIES['Input.Choice']));
        break;
      case 'Input.Text':
        if (e.inlineAction !== undefined) visitAction(e.inlineAction, `${path}.inlineAction`);
        break;
      default:
        break;
    }
  }

  function visitChart(e: Json, type: string, path: string): void {
    check(e, TEAMS_CHART_PROPERTIES[type], path, type);
    list(e.data, `${path}.data`, (point, p) => objectOf(point, p, 'chart data point', CHART_POINT));
    const fallback = e.fallback;
    if (!isObject(fallback) || !ELEMENT_PROPERTIES[String(fallback.type)]) {
      findings.push({ path: `${path}.fallback`, message: `${type} needs a fallback made of 1.5 elements, for clients that cannot draw charts` });
      return;
    }
    visitElement(fallback, `${path}.fallback`);
  }

  function visitAction(a: unknown, path: string): void {
    if (!isObject(a)) return void findings.push({ path, message: 'an action should be an object' });
    const type = String(a.type);
    const allowed = ACTION_PROPERTIES[type];
    if (!allowed) return void findings.push({ path, message: `unknown action type "${type}" (not in the 1.5 table in test/cards/schema-1-5.ts)` });
    check(a, allowed, path, type);
    visitFallback(a.fallback, `${path}.fallback`, visitAction);
    if (type === 'Action.ShowCard') visitCard(a.card, `${path}.card`);
    if (type === 'Action.ToggleVisibility') {
      list(a.targetElements, `${path}.targetElements`, (t, p) => {
        if (typeof t !== 'string') objectOf(t, p, 'TargetElement', PART_PROPERTIES.TargetElement);
      });
    }
  }

  visitCard(card, '$');
  return findings;
}

/** Calls `visit` for every object in a card whose `type` starts with `prefix`, with its JSON path. */
export function eachOfType(card: unknown, prefix: string, visit: (node: Json, path: string) => void): void {
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (!isObject(v)) return;
    if (typeof v.type === 'string' && v.type.startsWith(prefix)) visit(v, path);
    for (const [k, child] of Object.entries(v)) {
      // Action data is the bot's own payload, not card content.
      if (k === 'data' && typeof v.type === 'string' && v.type.startsWith('Action.')) continue;
      walk(child, `${path}.${k}`);
    }
  };
  walk(card, '$');
}

/**
 * Where each string containing `needle` sits: the type of the object holding
 * it (or "Input.Choice" / "Fact" for choices and facts) and the key.
 */
export function placesOf(card: unknown, needle: string): { path: string; holder: string; key: string }[] {
  const out: { path: string; holder: string; key: string }[] = [];
  const walk = (v: unknown, path: string, holder: string) => {
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, `${path}[${i}]`, holder));
    if (!isObject(v)) return;
    const type = typeof v.type === 'string' ? v.type : holder;
    for (const [k, child] of Object.entries(v)) {
      const p = `${path}.${k}`;
      if (typeof child === 'string') {
        if (child.includes(needle)) out.push({ path: p, holder: type, key: k });
      } else if (k === 'data' && type.startsWith('Action.')) {
        continue;
      } else {
        walk(child, p, k === 'choices' ? 'Input.Choice' : k === 'facts' ? 'Fact' : k === 'inlines' ? 'TextRun' : type);
      }
    }
  };
  walk(card, '$', 'AdaptiveCard');
  return out;
}
