import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { prepared } from './prepared';

/**
 * The selectable columns of an entity; with `properties`, only the columns of those properties
 * (and the primary key). A property that is not a column makes it all columns: callers name
 * what they read, and must never get an entity missing something they asked for.
 */
export function columnsOf(meta: EntityMetadata, properties?: readonly string[]): ColumnMetadata[] {
  const all = meta.columns.filter((c) => c.isSelect);
  if (!properties) return all;
  const wanted = new Set(properties);
  if ([...wanted].some((p) => !all.some((c) => c.propertyName === p))) return all;
  return all.filter((c) => c.isPrimary || wanted.has(c.propertyName));
}

/**
 * Hand-written queries select entity columns under a prefix and turn rows back into entities
 * from the same TypeORM metadata, so new columns are picked up without code here. Cheaper than
 * the query builder's hydration on hot paths (the ticket inbox, the message write). The full
 * lists are built once per entity, alias and prefix.
 */
export function selectList(
  meta: EntityMetadata,
  alias: string,
  prefix: string,
  properties?: readonly string[],
): string {
  const build = () =>
    columnsOf(meta, properties)
      .map((c) => `${alias}.${c.databaseName} AS "${prefix}${c.databaseName}"`)
      .join(', ');
  if (properties) return build();
  let lists = selectLists.get(meta);
  if (!lists) selectLists.set(meta, (lists = new Map<string, string>()));
  const key = `${alias}\n${prefix}`;
  let list = lists.get(key);
  if (list === undefined) lists.set(key, (list = build()));
  return list;
}

const selectLists = new WeakMap<EntityMetadata, Map<string, string>>();

/** Turns rows selected by `selectList` (same prefix and properties) into entities; properties not selected stay unset. */
export function rowReader<T>(
  meta: EntityMetadata,
  prefix: string,
  properties?: readonly string[],
): (row: Record<string, unknown>) => T {
  const columns = columnsOf(meta, properties).map((c) => ({ c, key: `${prefix}${c.databaseName}` }));
  return (row) => {
    const entity = meta.create() as T & object;
    for (const { c, key } of columns) {
      const raw = row[key];
      c.setEntityValue(entity, c.transformer ? ApplyValueTransformers.transformFrom(c.transformer, raw) : raw);
    }
    return entity;
  };
}

export function fromRow<T>(meta: EntityMetadata, row: Record<string, unknown>, prefix: string): T {
  const entity = meta.create() as T & object;
  for (const c of meta.columns) {
    if (!c.isSelect) continue;
    const raw = row[`${prefix}${c.databaseName}`];
    c.setEntityValue(entity, c.transformer ? ApplyValueTransformers.transformFrom(c.transformer, raw) : raw);
  }
  return entity;
}

/**
 * The entities of one table whose rows match `condition` (written on alias `r`, with `$n`
 * parameters), read by a prepared statement without the query builder. `tail`: `ORDER BY …`,
 * `FOR UPDATE`.
 */
export async function selectRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  condition: string,
  params: unknown[],
  tail = '',
): Promise<T[]> {
  const meta = manager.connection.getMetadata(entity);
  const rows = await manager.query<Array<Record<string, unknown>>>(
    prepared(`SELECT ${selectList(meta, 'r', '')} FROM ${meta.tableName} r WHERE ${condition} ${tail}`.trimEnd()),
    params,
  );
  return rows.map((row) => fromRow<T>(meta, row, ''));
}

/**
 * `INSERT … RETURNING` every selected column, built from the entity's metadata (a prepared statement): the values are
 * converted the way TypeORM persists them (JSON, arrays, transformers); `expressions` adds
 * columns set by SQL (`$n` placeholders continue after the values' — pass their parameters in
 * `expressionParams`). One round trip instead of TypeORM's insert followed by a read.
 */
export function insertReturning(
  manager: EntityManager,
  meta: EntityMetadata,
  values: Record<string, unknown>,
  expressions: Record<string, (firstParam: number) => string> = {},
  expressionParams: unknown[] = [],
): [string, unknown[]] {
  const driver = manager.connection.driver;
  const columns = meta.columns.filter((c) => c.isInsert && values[c.propertyName] !== undefined);
  const params = columns.map((c) => driver.preparePersistentValue(values[c.propertyName], c) as unknown);
  const names = columns.map((c) => c.databaseName);
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  for (const [column, sql] of Object.entries(expressions)) {
    names.push(column);
    placeholders.push(sql(params.length + 1));
  }
  const sql =
    `INSERT INTO ${meta.tableName} (${names.join(', ')}) VALUES (${placeholders.join(', ')}) ` +
    `RETURNING ${selectList(meta, meta.tableName, '')}`;
  return [prepared(sql), [...params, ...expressionParams]];
}
