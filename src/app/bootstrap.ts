import 'reflect-metadata';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { DatabaseHealthService } from '../common/health/database-health.service';
import { HttpErrorFilter } from '../common/errors/http-exception.filter';
import { limitWebSocketFrames } from '../common/graphql/ws-limits';
import { configureLogger, logger, PinoNestLogger } from '../common/logging/logger';
import { requestIdMiddleware } from '../common/logging/request-id.middleware';
import { MetricsService } from '../common/metrics/metrics.service';
import type { AppConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded';
import { runMigrations } from '../database/migrate';
import { AgentsService } from '../identity/agents.service';
import { ErrorCode } from '../common/errors/error-codes';
import { configureViews } from '../workspace/views';
import type { DemoSeedResult } from '../demo/seed-demo';

export interface StartedApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  url: string;
  firstAdmin: { email: string; password: string } | null;
  demo?: DemoSeedResult;
  close(): Promise<void>;
}

function gqlError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Body-parser failures (too large, malformed JSON) become clear JSON errors, never a stack trace. */
function bodyErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large')
    return gqlError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large.');
  if (e?.type === 'entity.parse.failed')
    return gqlError(res, 400, ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON.');
  if (e?.status && e.status >= 400 && e.status < 500)
    return gqlError(res, e.status, ErrorCode.BAD_USER_INPUT, 'Bad request.');
  next(err);
}

async function configureHttp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  const health = app.get(DatabaseHealthService);
  const metrics = app.get(MetricsService);
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ?? (req.path.startsWith('/graphql') ? '/graphql' : 'other');
      end({ route, status: String(res.statusCode) });
    });
    next();
  });
  // While the database is away, refuse at once with 503 instead of letting every request time out.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (health.isDown && !['/healthz', '/readyz', '/metrics'].includes(req.path)) {
      return gqlError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable. Try again shortly.');
    }
    // A 503 from further in (e.g. GraphQL looking up the session) trips the gate once a probe confirms it.
    res.on('finish', () => {
      if (res.statusCode === 503 && !health.isDown) void health.check();
    });
    next();
  });
  configureViews(app);
  app.use(express.json({ limit: config.http.maxBodyBytes }));
  app.use(express.urlencoded({ extended: false, limit: config.http.maxBodyBytes }));
  app.use(bodyErrorHandler);
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidUnknownValues: false }));
  app.useGlobalFilters(new HttpErrorFilter(health));
  await Promise.resolve();
}

/**
 * Starts Sori: database (embedded when no URL), migrations under a lock, first admin, Nest app.
 * Used by `main.ts`, the e2e tests and the benchmarks alike.
 */
export async function startApp(
  config: AppConfig,
  opts: { listen?: boolean; configure?: (app: INestApplication) => void | Promise<void> } = {},
): Promise<StartedApp> {
  configureLogger(config.log.level);
  const log = logger('boot');
  let embedded: EmbeddedDatabase | undefined;
  const url =
    config.database.url ?? (embedded = await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort)).url;
  const dataSource = createDataSource({
    url,
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
  });
  await dataSource.initialize();
  await runMigrations(dataSource);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), {
    logger: new PinoNestLogger(),
    bodyParser: false,
    abortOnError: false,
  });
  await configureHttp(app, config);
  app.enableShutdownHooks([]);

  await opts.configure?.(app);
  // modules start (realtime bus, job workers) before anything below publishes or enqueues
  await app.init();
  const firstAdmin = await app.get(AgentsService).ensureFirstAdmin();
  const demo = config.demo ? await (await import('../demo/seed-demo')).seedDemo(app) : undefined;
  if (opts.listen !== false) {
    await app.listen(config.port, config.host);
    if (!limitWebSocketFrames(app, config.http.maxBodyBytes)) log.warn('could not cap WebSocket frame size');
  }
  const address = app.getHttpServer().address() as AddressInfo | null;
  const port = address?.port ?? config.port;
  const listenUrl = config.port === 0 ? `http://127.0.0.1:${port}` : config.baseUrl;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await dataSource.destroy().catch(() => undefined);
    if (embedded) await embedded.stop();
  };
  log.info({ url: listenUrl }, 'Sori is ready');
  return { app, config, dataSource, url: listenUrl, firstAdmin, demo, close };
}
