import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type StartedApp } from '../../src/app/bootstrap';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, type TestDatabase } from './database';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }>;
  headers: Headers;
}

export interface Credentials {
  token?: string;
  cookie?: string;
}

export interface TestApp extends StartedApp {
  db: TestDatabase;
  admin: { email: string; password: string };
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: Credentials,
  ): Promise<GqlResult<T>>;
  /** Signs in through GraphQL and returns the session cookie. */
  login(email: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Boots the real app (HTTP on a random port) on its own fresh database. Pass `db` to use a
 * database created beforehand (e.g. to reach it through a proxy given as `DATABASE_URL` in `env`);
 * it is dropped on stop all the same.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { db?: TestDatabase; configure?: (app: INestApplication) => void | Promise<void> } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sori-test-data-')),
    APP_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    JOBS_ENABLED: '0',
    DB_POOL_SIZE: '5',
    ...env,
  });
  const started = await startApp(config, { configure: opts.configure });
  const admin = started.firstAdmin as { email: string; password: string };

  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    auth: Credentials = {},
  ): Promise<GqlResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const res = await fetch(`${started.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GqlResult<T>['errors'] };
    return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
  };

  const login = async (email: string, password: string): Promise<string> => {
    const r = await gql(`mutation($i: LoginInput!) { login(input: $i) { agent { id } csrfToken } }`, {
      i: { email, password },
    });
    if (r.errors) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
    const setCookie = r.headers.get('set-cookie') ?? '';
    return setCookie.split(';')[0];
  };

  return {
    ...started,
    db,
    admin,
    gql,
    login,
    stop: async () => {
      await started.close();
      await db.drop();
    },
  };
}
