import type { EntityMetadata } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

/**
 * Hand-written list queries select entity columns under a prefix and turn rows back into
 * entities from the same TypeORM metadata, so new columns are picked up without code here.
 * Cheaper than the query builder's hydration on hot paths (the ticket inbox).
 */
export function selectList(meta: EntityMetadata, alias: string, prefix: string): string {
  return meta.columns
    .filter((c) => c.isSelect)
    .map((c) => `${alias}.${c.databaseName} AS "${prefix}${c.databaseName}"`)
    .join(', ');
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
