import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { atomically, type ServerDocuments } from './durable-documents';

/**
 * Transactional batch (`container.items.batch(operations, partitionKey)` in
 * @azure/cosmos) for the embedded server, with Cosmos DB's semantics.
 *
 * @vercel/cosmosdb-server 1.0 routes the batch request (a POST to a
 * container's docs with `x-ms-cosmos-is-batch-request: true`) to a handler
 * that applies each operation as it goes: a failure leaves the operations
 * before it applied, every operation is journaled on its own line, the
 * partition key is not checked and the answer is 200 whatever happened. The
 * SDK sends its bulk requests (`x-ms-cosmos-batch-atomic: false`) the same
 * way, and for those that is right, so they still go there. An atomic batch
 * comes here instead:
 *
 * - every operation must be in the request's partition key
 *   (`x-ms-documentdb-partitionkey`), and there are 1 to 100 of them, or the
 *   whole request is refused with 400 before anything runs;
 * - the operations run in order, each seeing the ones before it, in one
 *   synchronous step (so no other request sees a part of them), and are
 *   journaled as one line (durable-documents.ts `atomically`);
 * - all succeed: 200 and one result per operation
 *   `{ statusCode, requestCharge, eTag, resourceBody }`;
 * - one fails (404, 409, 412, 400...): everything already done is undone and
 *   the answer is 207 Multi-Status, with that operation's status and 424
 *   (failed dependency) for every other operation. The SDK resolves with
 *   this rather than throwing; the caller reads `result[i].statusCode`.
 */

export const MAX_BATCH_OPERATIONS = 100;

interface Operation {
  operationType?: unknown;
  id?: unknown;
  /** JSON of the operation's partition key as the SDK sends it, e.g. `["t1"]`. */
  partitionKey?: unknown;
  ifMatch?: unknown;
  ifNoneMatch?: unknown;
  resourceBody?: unknown;
}

type Body = Record<string, unknown>;

export interface OperationResult {
  statusCode: number;
  requestCharge: number;
  eTag?: string;
  resourceBody?: Body;
}

interface ServerCollection {
  read(): unknown;
  documents: ServerDocuments & {
    upsert(data: Body): Body;
  };
}
interface ServerAccount {
  database(id: string): { collection(id: string): ServerCollection };
}
type Handler = (account: ServerAccount, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<unknown>;
type Route = [Record<string, string>, Handler] | undefined;

const OPERATION_TYPES = new Set(['Create', 'Upsert', 'Read', 'Replace', 'Delete', 'Patch']);
const WITH_BODY = new Set(['Create', 'Upsert', 'Replace']);

function serverFile<T>(file: string): T {
  const server = require.resolve('@vercel/cosmosdb-server');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(require.resolve(`@vercel/cosmosdb-server/lib/${file}`, { paths: [server] })) as T;
}

/** Idempotent. The server finds a handler through `routes.default(req)` on each request, so wrapping that export is enough. */
export function installTransactionalBatch(): void {
  const routes = serverFile<{ default: (req: IncomingMessage) => Route; transactionalBatch?: true }>('routes');
  if (routes.transactionalBatch) return;
  const bulk = serverFile<{ default: Handler }>('handler/batch-documents').default;
  const readJson = serverFile<{ default: (req: IncomingMessage) => Promise<unknown> }>('json').default;
  const patch = serverFile<{ patchOperation: PatchOperation }>('handler/_patch-operations').patchOperation;
  const route = routes.default;
  const handler: Handler = async (account, req, res, params) => {
    if (!isTrue(req.headers['x-ms-cosmos-batch-atomic'])) return bulk(account, req, res, params);
    return transactionalBatch(account, req, res, params, await readJson(req), patch);
  };
  routes.default = (req) => {
    const found = route(req);
    return found && found[1] === bulk ? [found[0], handler] : found;
  };
  routes.transactionalBatch = true;
}

type PatchOperation = (
  collection: ServerCollection,
  input: { id: string; partitionKey: string; ifMatch?: string; operations: unknown[]; condition?: string },
) => { statusCode: number; body?: Body };

function transactionalBatch(
  account: ServerAccount,
  req: IncomingMessage,
  res: ServerResponse,
  { dbId, collId }: Record<string, string>,
  body: unknown,
  patch: PatchOperation,
): unknown {
  const refuse = (statusCode: number, code: string, message: string) => {
    res.statusCode = statusCode;
    return { code, message };
  };
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) return refuse(404, 'NotFound', `container ${collId} does not exist`);
  if (!Array.isArray(body) || body.length === 0) return refuse(400, 'BadRequest', 'a transactional batch is a non-empty array of operations');
  if (body.length > MAX_BATCH_OPERATIONS) {
    return refuse(400, 'BadRequest', `a transactional batch holds at most ${MAX_BATCH_OPERATIONS} operations; this one has ${body.length}`);
  }
  const partition = partitionOfRequest(req.headers);
  if (!partition) return refuse(400, 'BadRequest', 'a transactional batch needs its partition key in x-ms-documentdb-partitionkey');
  const operations = body as Operation[];
  const docs = collection.documents;
  for (const [i, op] of operations.entries()) {
    const type = op?.operationType;
    if (typeof type !== 'string' || !OPERATION_TYPES.has(type)) return refuse(400, 'BadRequest', `operation ${i}: '${String(type)}' is not an operation of a batch`);
    const own = partitionOfOperation(op, docs);
    if (own !== undefined && own !== partition.json) {
      return refuse(400, 'BadRequest', `operation ${i} is in partition ${own}, not in the batch's partition ${partition.json}: a batch stays within one partition key`);
    }
  }

  const results: OperationResult[] = [];
  const committed = atomically(docs, () => {
    for (const op of operations) {
      const result = run(collection, op, partition.value, patch);
      results.push(result);
      if (result.statusCode >= 400) return false;
    }
    return true;
  });
  if (committed) return results;
  const failed = results.length - 1;
  res.statusCode = 207;
  return operations.map((_op, i) => (i === failed ? results[failed] : { statusCode: 424, requestCharge: 0 }));
}

function isTrue(header: string | string[] | undefined): boolean {
  return [header ?? []].flat().some((h) => h.toLowerCase() === 'true');
}

/** The request's partition key: as the SDK sends it (JSON of an array of values), and the one value the server keys documents by. */
function partitionOfRequest(headers: IncomingHttpHeaders): { json: string; value: unknown } | undefined {
  const header = [headers['x-ms-documentdb-partitionkey'] ?? []].flat()[0];
  if (header === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    const values = Array.isArray(parsed) ? parsed : [parsed];
    return { json: JSON.stringify(values), value: values[0] };
  } catch {
    return undefined;
  }
}

/** The partition an operation names: its own partitionKey, else (create, upsert, replace) its document's; undefined = the batch's. */
function partitionOfOperation(op: Operation, docs: ServerDocuments): string | undefined {
  if (typeof op.partitionKey === 'string') {
    try {
      const parsed: unknown = JSON.parse(op.partitionKey);
      return JSON.stringify(Array.isArray(parsed) ? parsed : [parsed]);
    } catch {
      return op.partitionKey;
    }
  }
  if (WITH_BODY.has(op.operationType as string) && isBody(op.resourceBody)) return JSON.stringify([docs._getPartition(op.resourceBody) ?? null]);
  return undefined;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ok = (statusCode: number, resourceBody?: Body): OperationResult => ({
  statusCode,
  requestCharge: 1,
  ...(resourceBody ? { eTag: resourceBody._etag as string, resourceBody } : {}),
});
const failure = (statusCode: number): OperationResult => ({ statusCode, requestCharge: 0 });

/** The server's own errors carry `conflict` or `badRequest`; anything else is a fault, and the batch is undone and answered 500. */
function written(write: () => Body, statusCode: number): OperationResult {
  try {
    return ok(statusCode, write());
  } catch (err) {
    if ((err as { conflict?: boolean }).conflict) return failure(409);
    if ((err as { badRequest?: boolean }).badRequest) return failure(400);
    throw err;
  }
}

function run(collection: ServerCollection, op: Operation, partition: unknown, patch: PatchOperation): OperationResult {
  const docs = collection.documents;
  const ifMatch = typeof op.ifMatch === 'string' ? op.ifMatch : undefined;
  const body = isBody(op.resourceBody) ? op.resourceBody : undefined;
  const id = op.operationType === 'Create' || op.operationType === 'Upsert' ? body?.id : op.id;
  if (typeof id !== 'string' || id === '') return failure(400);
  const current = docs._item('/id', id, partition).read();
  const stale = ifMatch !== undefined && ifMatch !== current?._etag;

  switch (op.operationType) {
    case 'Create':
      return current ? failure(409) : written(() => docs.create(body!), 201);
    case 'Upsert':
      // An If-Match names the version being replaced: when there is none, or another, nothing is written.
      if (stale) return failure(412);
      return written(() => docs.upsert(body!), current ? 200 : 201);
    case 'Read':
      if (!current) return failure(404);
      return op.ifNoneMatch !== undefined && op.ifNoneMatch === current._etag ? { statusCode: 304, requestCharge: 1 } : ok(200, current);
    case 'Replace':
      if (!body || body.id !== id) return failure(400);
      if (!current) return failure(404);
      if (stale) return failure(412);
      return written(() => docs.replace(body, current), 200);
    case 'Delete':
      if (!current) return failure(404);
      if (stale) return failure(412);
      docs.delete(id, partition);
      return { statusCode: 204, requestCharge: 1 };
    default: {
      const spec = op.resourceBody;
      const operations = Array.isArray(spec) ? spec : isBody(spec) && Array.isArray(spec.operations) ? spec.operations : undefined;
      if (!operations) return failure(400);
      const condition = isBody(spec) && typeof spec.condition === 'string' ? spec.condition : undefined;
      const result = patch(collection, { id, partitionKey: JSON.stringify([partition]), ifMatch, operations, condition });
      return result.statusCode < 400 ? ok(result.statusCode, result.body) : failure(result.statusCode);
    }
  }
}
