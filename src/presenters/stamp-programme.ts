import type { CardJson } from './render-card';

/**
 * Every button on a card sent within a programme says which programme it belongs to, so pressing it later, in a
 * personal chat of someone in several programmes, acts in that programme (src/app/programme-scope.ts decides
 * whether the presser may). A button that already names a programme (the chooser's) keeps it.
 */
export function stampProgramme(card: CardJson, programmeId: string): CardJson {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (out.type === 'Action.Execute' || out.type === 'Action.Submit') {
      const data = (out.data ?? {}) as Record<string, unknown>;
      if (data.programmeId === undefined) out.data = { ...data, programmeId };
    }
    return out;
  };
  return walk(card) as CardJson;
}
