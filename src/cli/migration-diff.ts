import type { DataSource, QueryRunner, Table } from 'typeorm';
import type { Query } from 'typeorm/driver/Query';
import { createDataSource } from '../database/data-source';
import { runMigrations } from '../database/migrate';
import { withScratchDatabase } from './postgres-server';

export interface MigrationQueries {
  /** In execution order. */
  up: Query[];
  /** In execution order (already reversed). */
  down: Query[];
}

/**
 * Indexes, check and foreign-key constraints, multi-column unique constraints and exclusions are
 * written by hand in migrations; entities only declare them when they name them. TypeORM would
 * drop every such object an entity does not declare, so the diff forgets the undeclared ones.
 */
export function forgetUndeclaredConstraints(tables: Table[], entities: DataSource['entityMetadatas']): void {
  const declared = new Set<string>();
  for (const e of entities) {
    for (const o of [...e.indices, ...e.foreignKeys, ...e.checks, ...e.uniques, ...e.exclusions]) {
      if (o.name) declared.add(o.name);
    }
  }
  const keep = <T extends { name?: string }>(items: T[]) => items.filter((i) => i.name && declared.has(i.name));
  for (const t of tables) {
    t.indices = keep(t.indices);
    t.foreignKeys = keep(t.foreignKeys);
    t.checks = keep(t.checks);
    t.exclusions = keep(t.exclusions);
    // single-column unique constraints are compared through @Column({ unique: true })
    t.uniques = t.uniques.filter((u) => u.columnNames.length === 1 || (u.name && declared.has(u.name)));
  }
}

/**
 * TypeORM reads the expression of a generated column from its own `typeorm_metadata` table, which
 * Sori does not keep. Fill it, in the scratch database only, from what PostgreSQL reports (its
 * normalised form, whitespace collapsed to single spaces), so an entity's `asExpression` is
 * compared with the real expression.
 */
async function describeGeneratedColumns(runner: QueryRunner): Promise<void> {
  await runner.query(`CREATE TABLE IF NOT EXISTS typeorm_metadata (
    "type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`);
  await runner.query(`
    INSERT INTO typeorm_metadata ("type", "database", "schema", "table", "name", "value")
    SELECT 'GENERATED_COLUMN', current_database(), table_schema, table_name, column_name,
           btrim(regexp_replace(generation_expression, '[[:space:]]+', ' ', 'g'))
      FROM information_schema.columns
     WHERE is_generated = 'ALWAYS' AND table_schema = current_schema()`);
}

const mentionsTypeormMetadata = (q: Query) => q.query.includes('typeorm_metadata');

/** What the entities need that the database does not have, as TypeORM would write it. */
export async function diffEntitiesAgainstDatabase(dataSource: DataSource): Promise<MigrationQueries> {
  const runner = dataSource.createQueryRunner();
  try {
    await describeGeneratedColumns(runner);
  } finally {
    await runner.release();
  }
  // reaching into TypeORM's schema builder: it exposes no hook between loading tables and diffing
  const builder = dataSource.driver.createSchemaBuilder() as unknown as {
    queryRunner: { loadedTables: Table[] };
    executeSchemaSyncOperationsInProperOrder(): Promise<void>;
    log(): Promise<{ upQueries: Query[]; downQueries: Query[] }>;
  };
  const diff = builder.executeSchemaSyncOperationsInProperOrder.bind(builder);
  builder.executeSchemaSyncOperationsInProperOrder = async () => {
    forgetUndeclaredConstraints(builder.queryRunner.loadedTables, dataSource.entityMetadatas);
    await diff();
  };
  const sql = await builder.log();
  return {
    up: sql.upQueries.filter((q) => !mentionsTypeormMetadata(q)),
    down: [...sql.downQueries].reverse().filter((q) => !mentionsTypeormMetadata(q)),
  };
}

/** Migrates a scratch database on the server from nothing, then diffs the entities against it. */
export async function diffEntitiesAgainstMigrations(serverUrl: string): Promise<MigrationQueries> {
  return withScratchDatabase(serverUrl, async (url) => {
    const dataSource = createDataSource({ url, poolSize: 2, statementTimeoutMs: 600_000, applicationName: 'sori-cli' });
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      return await diffEntitiesAgainstDatabase(dataSource);
    } finally {
      await dataSource.destroy();
    }
  });
}
