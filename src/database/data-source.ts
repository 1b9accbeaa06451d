import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrations } from '../../migrations';
import { entities } from './entities';
import { PreparingClient } from './prepared';
import { SnakeNamingStrategy } from './naming';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  applicationName?: string;
}

export function dataSourceOptions(s: DataSourceSettings): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: s.url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: s.applicationName ?? 'sori',
    extra: {
      Client: PreparingClient,
      max: s.poolSize,
      // fail fast when the database is away, instead of queueing requests for minutes
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
      statement_timeout: s.statementTimeoutMs,
    },
  };
}

export function createDataSource(s: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(s));
}
