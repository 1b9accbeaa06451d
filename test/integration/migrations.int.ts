import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source';
import { runMigrations } from '../../src/database/migrate';
import { withDatabase } from '../setup/template';

describe('migrations at boot', () => {
  const name = `sori_t_${process.env.SORI_TEST_RUN}_mig${Date.now() % 100000}`;
  const admin = () => new Client({ connectionString: process.env.TEST_DATABASE_URL });

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
    await c.end();
  });
  afterAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  });

  it('lets two processes start together: one migrates, the other waits and finds nothing to do', async () => {
    const url = withDatabase(process.env.TEST_DATABASE_URL as string, name);
    const a = createDataSource({ url, poolSize: 2, statementTimeoutMs: 60000 });
    const b = createDataSource({ url, poolSize: 2, statementTimeoutMs: 60000 });
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      const [ranA, ranB] = await Promise.all([runMigrations(a), runMigrations(b)]);
      const all = [...ranA, ...ranB];
      const expected = a.migrations.map((m) => m.name);
      expect(all.sort()).toEqual([...expected].sort());
      expect(ranA.length === 0 || ranB.length === 0).toBe(true);
      const rows: Array<{ name: string }> = await a.query('SELECT name FROM migrations');
      expect(rows.map((r) => r.name).sort()).toEqual([...expected].sort());
      expect(await runMigrations(a)).toEqual([]);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});
