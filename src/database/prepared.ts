import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * Server-side prepared statements for the hot paths. PostgreSQL spends more on parsing and
 * planning a small statement than on running it (a 20-column lookup by primary key: ~70–100 µs
 * of backend CPU unnamed, ~18 µs prepared, measured here). node-postgres prepares a statement
 * once per connection when the query has a `name`; TypeORM never passes one. So hot statements
 * are marked with `prepared(sql)` where they are written, and the pool's clients (see
 * `dataSourceOptions`) send marked SQL with parameters as named statements.
 *
 * Only marked SQL: a generic plan chosen after five runs suits inserts, updates and lookups by
 * key, not searches whose best plan depends on the values. Bounded twice: the marked texts (SQL
 * built at run time, such as a multi-row insert, varies) and the statements per connection.
 */
const marked = new Set<string>();
const MAX_MARKED = 1000;
const MAX_PER_CONNECTION = 200;

/** Marks `sql` for preparing and returns it unchanged. */
export function prepared(sql: string): string {
  if (marked.size < MAX_MARKED) marked.add(sql);
  return sql;
}

const names = new Map<string, string>();

function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `sori_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}

/** The statements this connection has prepared, by name (node-postgres keeps them per connection). */
function preparedOn(client: Client): Record<string, string> {
  const connection = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection;
  return connection?.parsedStatements ?? {};
}

/** The pool's client class: marked SQL with parameters goes out as a named (prepared) statement. */
export class PreparingClient extends Client {
  protected eligible(text: string): boolean {
    return marked.has(text);
  }

  // node-postgres' query() has many overloads; only (text, values[, callback]) is rewritten
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length && this.eligible(text)) {
      const name = nameOf(text);
      const done = preparedOn(this);
      if (done[name] !== undefined || Object.keys(done).length < MAX_PER_CONNECTION) {
        return (super.query as (...a: unknown[]) => never)({ name, text, values }, ...args.slice(2));
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/**
 * For the pool of a library whose SQL is a fixed set of statements with parameters (the job
 * queue): every parameterised statement is prepared, up to the per-connection bound.
 */
export class PreparingAllClient extends PreparingClient {
  protected override eligible(): boolean {
    return true;
  }
}
