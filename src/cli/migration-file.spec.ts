import { runInNewContext } from 'node:vm';
import { Query } from 'typeorm/driver/Query';
import { addToMigrationIndex, migrationBaseName, nextTimestamp, renderMigration } from './migration-file';

describe('migration files', () => {
  it('turns what the developer typed into a class-safe name', () => {
    expect(migrationBaseName('AddTicketSla')).toBe('AddTicketSla');
    expect(migrationBaseName('add ticket sla')).toBe('AddTicketSla');
    expect(migrationBaseName('add-ticket_sla2')).toBe('AddTicketSla2');
    expect(migrationBaseName('')).toBeNull();
    expect(migrationBaseName('42')).toBeNull();
  });

  it('picks a timestamp after every existing migration, even with a clock behind', () => {
    const files = ['1763900000000-Initial.ts', '1763900100000-ContactsListAndMerge.ts', 'index.ts'];
    expect(nextTimestamp(files, 1_800_000_000_000)).toBe(1_800_000_000_000);
    expect(nextTimestamp(files, 1_700_000_000_000)).toBe(1_763_900_100_001);
  });

  it('writes queries as template literals that evaluate back to the same SQL', () => {
    const sql = 'ALTER TABLE "contact" ADD "nick" text NOT NULL DEFAULT \'it`s ${x} \\ ok\'';
    const source = renderMigration('AddNick1800000000000', [new Query(sql)], [new Query('SELECT $1', [7])]);
    expect(source).toContain('export class AddNick1800000000000 implements MigrationInterface');
    expect(source).toContain("name = 'AddNick1800000000000';");
    expect(source).toContain('await q.query(`SELECT $1`, [7]);');
    const literal = /await q\.query\((`(?:[^`\\]|\\.)*`)\);/.exec(source)![1];
    expect(runInNewContext(literal)).toBe(sql);
  });

  it('registers the migration in migrations/index.ts once', () => {
    const index = [
      '// Every migration, in order.',
      "import { Initial1 } from './1-Initial';",
      "import { Second2 } from './2-Second';",
      '',
      'export const migrations = [Initial1, Second2];',
      '',
    ].join('\n');
    const next = addToMigrationIndex(index, 'Third3', '3-Third');
    expect(next).toContain("import { Second2 } from './2-Second';\nimport { Third3 } from './3-Third';\n");
    expect(next).toContain('export const migrations = [Initial1, Second2, Third3];');
    expect(addToMigrationIndex(next, 'Third3', '3-Third')).toBe(next);
    expect(() => addToMigrationIndex('export default [];', 'X1', '1-X')).toThrow(/no `export const migrations/);
  });
});
