import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '../setup/template';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set; run tests through jest (global setup sets it).');
  return url;
}

/** A fresh database cloned from the migrated template: fast, isolated, parallel-safe. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.SORI_TEST_TEMPLATE as string;
  const name = `sori_t_${process.env.SORI_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (err) {
        // another file cloning the same template at this instant; retry shortly
        if (attempt > 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
