import { Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { SnakeNamingStrategy } from '../database/naming';
import { diffEntitiesAgainstDatabase, diffEntitiesAgainstMigrations } from './migration-diff';
import { withScratchDatabase } from './postgres-server';

@Entity('owner')
class Owner {
  @PrimaryColumn('uuid') id: string;
}

@Entity('gadget')
class Gadget {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { default: 'x' }) name: string;
  @Column({ type: 'integer', generatedType: 'STORED', asExpression: 'length(name)', nullable: true, insert: false })
  nameLength: number;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('text', { array: true, default: [] }) tags: string[];
}

const serverUrl = () => process.env.TEST_DATABASE_URL as string;

async function withGadgetTables<T>(ddl: string[], fn: (ds: DataSource) => Promise<T>): Promise<T> {
  return withScratchDatabase(serverUrl(), async (url) => {
    const ds = new DataSource({
      type: 'postgres',
      url,
      entities: [Owner, Gadget],
      namingStrategy: new SnakeNamingStrategy(),
    });
    await ds.initialize();
    try {
      for (const sql of ddl) await ds.query(sql);
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  });
}

const gadgetDdl = [
  'CREATE TABLE owner (id uuid PRIMARY KEY)',
  `CREATE TABLE gadget (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name text NOT NULL DEFAULT 'x' CHECK (name <> ''),
     name_length integer GENERATED ALWAYS AS (length(name)) STORED,
     owner_id uuid REFERENCES owner(id) ON DELETE SET NULL,
     tags text[] NOT NULL DEFAULT '{}',
     UNIQUE (owner_id, name))`,
  'CREATE INDEX gadget_name_idx ON gadget (lower(name))',
  'CREATE INDEX gadget_owner_idx ON gadget (owner_id, id)',
];

describe('migration:generate diff', () => {
  it('finds nothing to change between the entities and the committed migrations', async () => {
    const diff = await diffEntitiesAgainstMigrations(serverUrl());
    expect(diff.up.map((q) => q.query)).toEqual([]);
  });

  it('leaves hand-written indexes, checks, foreign keys and generated columns alone', async () => {
    const diff = await withGadgetTables(gadgetDdl, (ds) => diffEntitiesAgainstDatabase(ds));
    expect(diff.up.map((q) => q.query)).toEqual([]);
  });

  it('reports a column the entities describe differently, with the way back', async () => {
    const ddl = [...gadgetDdl, "ALTER TABLE gadget ALTER COLUMN name SET DEFAULT 'y'"];
    const diff = await withGadgetTables(ddl, (ds) => diffEntitiesAgainstDatabase(ds));
    expect(diff.up.map((q) => q.query)).toEqual([`ALTER TABLE "gadget" ALTER COLUMN "name" SET DEFAULT 'x'`]);
    expect(diff.down.map((q) => q.query)).toEqual([`ALTER TABLE "gadget" ALTER COLUMN "name" SET DEFAULT 'y'`]);
  });

  it('creates a table the database lacks', async () => {
    const diff = await withGadgetTables(gadgetDdl.slice(0, 1), (ds) => diffEntitiesAgainstDatabase(ds));
    expect(diff.up[0].query).toMatch(/^CREATE TABLE "gadget"/);
    expect(diff.down.at(-1)?.query).toBe('DROP TABLE "gadget"');
  });
});
