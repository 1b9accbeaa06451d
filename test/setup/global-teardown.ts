import { Client } from 'pg';

/** Drops this run's leftover databases (files that crashed before dropping theirs) and stops PostgreSQL. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const run = process.env.SORI_TEST_RUN;
  if (url && run) {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
        `sori_t_${run}_%`,
      ]);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  if (globalThis.__soriEmbedded) await globalThis.__soriEmbedded.stop();
}
