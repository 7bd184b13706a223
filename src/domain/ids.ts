/**
 * Cosmos DB refuses '/', '\', '?' and '#' in document ids (and the embedded
 * store misroutes them), and no id Golden Thread makes holds a control
 * character or half a surrogate pair. An id like that can only come from a
 * broken or forged card, or a typo: it is answered as "not found" before it
 * reaches the store (the fuzz suite found each of these crashing a turn).
 */
const STORABLE_ID = /^[^/\\?#\u0000-\u001f\u007f]{1,200}$/;
/** Half of a surrogate pair on its own: not text, and the SDK cannot put it in a URL. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableId(id: string): boolean {
  return STORABLE_ID.test(id) && !LONE_SURROGATE.test(id);
}
