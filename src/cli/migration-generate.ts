import 'reflect-metadata';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configureLogger } from '../common/logging/logger';
import { ConfigError, loadConfig } from '../config/config';
import { diffEntitiesAgainstMigrations } from './migration-diff';
import { addToMigrationIndex, migrationBaseName, nextTimestamp, renderMigration } from './migration-file';
import { openPostgresServer } from './postgres-server';
import { projectRoot } from '../common/paths';

const USAGE = 'Usage: npm run migration:generate -- <Name>   (e.g. AddTicketSla)';

/** Formats with the repo's Prettier settings when Prettier is installed (it is a dev dependency). */
async function formatted(file: string, source: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = await prettier.resolveConfig(file);
    return await prettier.format(source, { ...options, filepath: file });
  } catch {
    return source;
  }
}

/**
 * `npm run migration:generate -- <Name>`: migrates a scratch database (on DATABASE_URL's server,
 * else a throw-away embedded PostgreSQL), diffs the entities against it and writes what differs
 * as migrations/<timestamp>-<Name>.ts, registered in migrations/index.ts.
 */
async function main(args: string[]): Promise<number> {
  const name = migrationBaseName(args.filter((a) => !a.startsWith('-')).join(' '));
  if (!name) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  configureLogger('warn');
  const server = await openPostgresServer(config.database.url);
  process.stdout.write(
    server.embedded
      ? 'Diffing entities against a scratch database on a temporary embedded PostgreSQL…\n'
      : `Diffing entities against a scratch database on ${new URL(server.url).host}…\n`,
  );
  let diff;
  try {
    diff = await diffEntitiesAgainstMigrations(server.url);
  } finally {
    await server.stop();
  }
  if (diff.up.length === 0) {
    process.stdout.write('No changes: the entities match the migrations.\n');
    return 0;
  }

  const dir = join(projectRoot, 'migrations');
  const timestamp = nextTimestamp(readdirSync(dir));
  const className = `${name}${timestamp}`;
  const fileBase = `${timestamp}-${name}`;
  const file = join(dir, `${fileBase}.ts`);
  writeFileSync(file, await formatted(file, renderMigration(className, diff.up, diff.down)));
  const index = join(dir, 'index.ts');
  writeFileSync(index, await formatted(index, addToMigrationIndex(readFileSync(index, 'utf8'), className, fileBase)));

  process.stdout.write(
    `Wrote ${relative(process.cwd(), file)} (${diff.up.length} statements) and registered it in migrations/index.ts.\n` +
      'Review it: entities do not describe indexes, checks or foreign keys; add those by hand.\n',
  );
  return 0;
}

/** TypeORM's table loader overlaps queries on one pg client; pg warns about it on every run. */
function hideTypeormQueryOverlapWarning(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (!w.message.includes('already executing a query')) process.stderr.write(`${w.name}: ${w.message}\n`);
  });
}

if (require.main === module) {
  hideTypeormQueryOverlapWarning();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const message =
        err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : err;
      process.stderr.write(`migration:generate: ${String(message)}\n`);
      process.exit(1);
    },
  );
}
