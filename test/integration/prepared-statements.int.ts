import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { prepared } from '../../src/database/prepared';

/** The pool's clients prepare marked statements once per connection, and only those. */
describe('prepared statements', () => {
  let ds: DataSource;

  beforeAll(async () => {
    // one connection, so every query below runs on the session whose statements are listed
    ds = createDataSource({ url: process.env.TEST_DATABASE_URL as string, poolSize: 1, statementTimeoutMs: 10000 });
    await ds.initialize();
  });
  afterAll(async () => ds.destroy());

  const statements = () =>
    ds.query<Array<{ statement: string }>>(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'sori_%'`);

  it('prepares marked SQL with parameters and reuses it; leaves other SQL unnamed', async () => {
    const sql = prepared(`SELECT $1::int + 1 AS n /* prepared.spec */`);
    expect(await ds.query(sql, [1])).toEqual([{ n: 2 }]);
    expect(await ds.query(sql, [41])).toEqual([{ n: 42 }]);
    expect(await ds.query(`SELECT $1::int * 2 AS n /* unmarked */`, [21])).toEqual([{ n: 42 }]);
    const names = (await statements()).map((s) => s.statement);
    expect(names.filter((s) => s.includes('prepared.spec'))).toHaveLength(1);
    expect(names.filter((s) => s.includes('unmarked'))).toHaveLength(0);
  });

  it('still reports errors as TypeORM query errors and keeps the connection usable', async () => {
    const sql = prepared(`SELECT 1 / $1::int AS n /* prepared.spec division */`);
    await expect(ds.query(sql, [0])).rejects.toMatchObject({ driverError: { code: '22012' } });
    expect(await ds.query(sql, [1])).toEqual([{ n: 1 }]);
  });
});
