import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describeSchemaDiff } from './schema-diff';
import { buildSchemaSdl, renderSchemaFile, schemaFilePath, stripSchemaFileHeader } from './schema-sdl';

/**
 * `node dist/src/cli/schema.js`           prints the GraphQL schema (SDL) to stdout
 * `node dist/src/cli/schema.js --write`   writes it to schema.gql (npm run schema:generate)
 * `node dist/src/cli/schema.js --check`   exits 1 when schema.gql is stale (npm run schema:check)
 * No database is needed.
 */
async function main(args: string[]): Promise<number> {
  const sdl = await buildSchemaSdl();
  const file = schemaFilePath();
  const shown = relative(process.cwd(), file) || file;
  if (args.includes('--write')) {
    writeFileSync(file, renderSchemaFile(sdl));
    process.stdout.write(`Wrote ${shown}\n`);
    return 0;
  }
  if (args.includes('--check')) {
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed === renderSchemaFile(sdl)) {
      process.stdout.write(`${shown} is up to date.\n`);
      return 0;
    }
    const summary = committed ? describeSchemaDiff(stripSchemaFileHeader(committed), sdl) : ['(file is missing)'];
    process.stderr.write(
      `${shown} is out of date with the resolvers and DTOs in src/.\n` +
        summary.map((l) => `  ${l}\n`).join('') +
        `Run npm run schema:generate and commit ${shown}.\n`,
    );
    return 1;
  }
  process.stdout.write(`${sdl}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`schema: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(2);
    },
  );
}
