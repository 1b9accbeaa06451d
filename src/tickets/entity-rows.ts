import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

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
 * Hand-written list queries select entity columns under a prefix and turn rows back into
 * entities from the same TypeORM metadata, so new columns are picked up without code here.
 * Cheaper than the query builder's hydration on hot paths (the ticket inbox).
 */
export function selectList(
  meta: EntityMetadata,
  alias: string,
  prefix: string,
  properties?: readonly string[],
): string {
  return columnsOf(meta, properties)
    .map((c) => `${alias}.${c.databaseName} AS "${prefix}${c.databaseName}"`)
    .join(', ');
}

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
  return rowReader<T>(meta, prefix)(row);
}
