import { GraphQLSchemaHost } from '@nestjs/graphql';
import { parse, type GraphQLObjectType } from 'graphql';
import { isPropertyResolver } from '../../src/common/graphql/property-resolvers';
import { selectsOnlyPlainFields } from '../../src/common/graphql/shared-execution';
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

  it('knows which subscriptions the app can execute once per event for every subscriber', () => {
    const schema = app.app.get(GraphQLSchemaHost).schema;
    const plain = (q: string) => selectsOnlyPlainFields(schema, parse(q));
    // the agent timeline and the widget stream: properties of the event only
    expect(plain(`subscription($c: ID) { messageAdded(conversationId: $c) { cursor message { id bodyText } } }`)).toBe(
      true,
    );
    expect(
      plain(`subscription($c: ID!) { widgetMessageAdded(conversationId: $c) { cursor message { id bodyText } } }`),
    ).toBe(true);
    // a field with a resolver of its own (loads per subscriber) is not plain
    const ticket = schema.getType('Ticket') as GraphQLObjectType;
    expect(isPropertyResolver(ticket.getFields().subject.resolve)).toBe(true);
    expect(isPropertyResolver(ticket.getFields().requester.resolve)).toBe(false);
  });
});
