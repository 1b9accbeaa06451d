import DataLoader from 'dataloader';

export interface HasLoaders {
  loaders?: Map<string, DataLoader<unknown, unknown>>;
}

/**
 * A per-request DataLoader by name: field resolvers of a list ask for one item each and get
 * one batched query for the whole page instead of N.
 */
export function loader<K, V>(
  ctx: HasLoaders,
  name: string,
  batch: (keys: readonly K[]) => Promise<Array<V | Error>>,
): DataLoader<K, V> {
  ctx.loaders ??= new Map();
  let l = ctx.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!l) {
    l = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    ctx.loaders.set(name, l);
  }
  return l;
}

/** Orders fetched rows by the requested keys (DataLoader needs one result per key, in order). */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K, missing: V | null = null): Array<V> {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? (missing as V));
}
