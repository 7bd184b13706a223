import { namesFor } from '../../src/commands/names';
import { newPerson } from '../../src/domain/person';
import { testDeps } from '../support/memory-collection';

const T = 'tenant-1';

describe('namesFor', () => {
  test("known people by name; the unknown, the nameless and another tenant's people as 'someone'; one query for a card's handful", async () => {
    const deps = testDeps();
    const at = new Date('2026-01-01T00:00:00Z');
    for (const [id, name] of [['sam', 'Sam Okafor'], ['chris', 'Chris Morgan'], ['erased', '']]) await deps.stores.people.create(newPerson(T, id, name, at));
    await deps.stores.people.create(newPerson('tenant-2', 'alex', 'Alex Other Tenant', at));
    const queries: unknown[] = [];
    const query = deps.stores.people.query.bind(deps.stores.people);
    deps.stores.people.query = (...args) => {
      queries.push(args[1]);
      return query(...args);
    };
    const names = await namesFor(deps, T, ['sam', 'chris', 'sam', '', 'erased', 'alex', 'nobody']);
    expect(['sam', 'chris', 'erased', 'alex', 'nobody', 'never-asked'].map(names)).toEqual(['Sam Okafor', 'Chris Morgan', 'someone', 'someone', 'someone', 'someone']);
    expect(queries).toHaveLength(1);
    expect(await namesFor(deps, T, [])).toBeInstanceOf(Function);
    expect(queries).toHaveLength(1);
  });

  test('hundreds of people are looked up a hundred at a time, and all are named', async () => {
    const deps = testDeps();
    const ids = Array.from({ length: 250 }, (_, i) => `p${i}`);
    for (const id of ids) await deps.stores.people.create(newPerson(T, id, `Person ${id}`, new Date('2026-01-01T00:00:00Z')));
    let queries = 0;
    const query = deps.stores.people.query.bind(deps.stores.people);
    deps.stores.people.query = (...args) => {
      queries++;
      return query(...args);
    };
    const names = await namesFor(deps, T, ids);
    expect(ids.map(names)).toEqual(ids.map((id) => `Person ${id}`));
    expect(queries).toBe(3);
  });
});
