import { GraphQLSchemaHost } from '@nestjs/graphql';
import { existsSync, readFileSync } from 'node:fs';
import { describeSchemaDiff } from '../../src/cli/schema-diff';
import { buildSchemaSdl, printSchemaSdl, schemaFilePath, stripSchemaFileHeader } from '../../src/cli/schema-sdl';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Fails with the list of changed definitions instead of a 2,000-line string diff. */
function expectSameSchema(expected: string, actual: string, hint: string): void {
  const diff = describeSchemaDiff(expected, actual);
  if (diff.length) throw new Error(`${hint}\n${diff.map((l) => `  ${l}`).join('\n')}`);
  expect(actual).toBe(expected);
}

describe('the GraphQL schema', () => {
  let app: TestApp;
  let served: string;

  beforeAll(async () => {
    app = await startTestApp();
    served = printSchemaSdl(app.app.get(GraphQLSchemaHost).schema);
  });
  afterAll(async () => app.stop());

  it('is what the database-free schema printer (npm run schema:generate) prints', async () => {
    expectSameSchema(
      served,
      await buildSchemaSdl(),
      'src/cli/schema-sdl.ts builds a different schema than the server:',
    );
  });

  it('matches the committed schema.gql', () => {
    const file = schemaFilePath();
    expect(existsSync(file)).toBe(true);
    const committed = stripSchemaFileHeader(readFileSync(file, 'utf8'));
    expectSameSchema(committed, served, 'schema.gql is stale: run `npm run schema:generate` and commit schema.gql.');
  });
});
