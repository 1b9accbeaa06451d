import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envSchema, type Env } from './config.schema';
import { tlsPairProblems } from './tls-files';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  dataDir: string;
  database: {
    /** Unset means: start the embedded PostgreSQL under dataDir. */
    url?: string;
    poolSize: number;
    statementTimeoutMs: number;
    embeddedPort: number;
  };
  secrets: { app: string };
  log: { level: string };
  mail: { transport: 'log' | 'smtp'; smtpUrl?: string; from: string };
  storage: { dir: string; maxUploadBytes: number; allowedTypes: string[] };
  http: { maxBodyBytes: number };
  graphql: { maxDepth: number; maxComplexity: number };
  auth: { sessionTtlHours: number; loginMaxAttempts: number; lockoutMinutes: number };
  demo: boolean;
  adminEmail: string;
  redisUrl?: string;
  jobsEnabled: boolean;
  shutdownTimeoutMs: number;
  /** Seconds an agent stays online for routing after their last connection closed. */
  presenceGraceSeconds: number;
  /** Seconds an agent has to answer a chat offer before it moves on to the next agent. */
  chatOfferTimeoutSeconds: number;
  email: EmailConfig;
}

export interface EmailConfig {
  /** The built-in SMTP receiver (inbound mail); off unless enabled. */
  smtp: {
    enabled: boolean;
    host: string;
    /** 0 picks a free port (tests). */
    port: number;
    /** Name in the greeting and in generated Message-IDs without a mailbox. */
    hostname: string;
    auth?: { user: string; password: string };
    tls?: { keyPath: string; certPath: string };
  };
  /** Largest raw message accepted by any way in (SMTP, IMAP, webhook). */
  maxMessageBytes: number;
  ingestConcurrency: number;
  sendConcurrency: number;
  /** Mails one sender may open per hour before further ones are held back as a likely loop. */
  senderRateLimitPerHour: number;
  imapPollSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type RawEnv = Record<string, string | undefined>;

/** Empty strings count as unset so `FOO=` in a compose file means "use the default". */
function withoutEmpty(env: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/** Reads or creates `<dataDir>/secrets.json`, so secrets survive restarts without being hard-coded. */
function loadOrCreateSecrets(dataDir: string): { app: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { app?: unknown };
    if (typeof parsed.app === 'string' && parsed.app.length >= 32) return { app: parsed.app };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = { app: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function loadConfig(rawEnv: RawEnv = process.env): AppConfig {
  const result = envSchema.safeParse(withoutEmpty(rawEnv));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = result.data;
  if (e.MAIL_TRANSPORT === 'smtp' && !e.SMTP_URL) {
    throw new ConfigError(['SMTP_URL: required when MAIL_TRANSPORT=smtp']);
  }
  const pairs: Array<[keyof typeof e, keyof typeof e]> = [
    ['EMAIL_SMTP_AUTH_USER', 'EMAIL_SMTP_AUTH_PASSWORD'],
    ['EMAIL_SMTP_TLS_KEY', 'EMAIL_SMTP_TLS_CERT'],
  ];
  for (const [a, b] of pairs) {
    if (!e[a] !== !e[b]) throw new ConfigError([`${e[a] ? b : a}: required together with ${e[a] ? a : b}`]);
  }
  if (e.EMAIL_SMTP_TLS_KEY && e.EMAIL_SMTP_TLS_CERT) {
    const problems = tlsPairProblems(
      { name: 'EMAIL_SMTP_TLS_KEY', path: resolve(e.EMAIL_SMTP_TLS_KEY) },
      { name: 'EMAIL_SMTP_TLS_CERT', path: resolve(e.EMAIL_SMTP_TLS_CERT) },
    );
    if (problems.length) throw new ConfigError(problems);
  }
  const dataDir = resolve(e.DATA_DIR);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const secrets = e.APP_SECRET ? { app: e.APP_SECRET } : loadOrCreateSecrets(dataDir);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    baseUrl,
    dataDir,
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DB_POOL_SIZE,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      embeddedPort: e.EMBEDDED_PG_PORT,
    },
    secrets,
    log: { level: e.LOG_LEVEL },
    mail: { transport: e.MAIL_TRANSPORT, smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    storage: {
      dir: resolve(e.STORAGE_DIR ?? join(dataDir, 'files')),
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      allowedTypes: e.ALLOWED_UPLOAD_TYPES.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    },
    http: { maxBodyBytes: e.MAX_BODY_BYTES },
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxComplexity: e.GRAPHQL_MAX_COMPLEXITY },
    auth: {
      sessionTtlHours: e.SESSION_TTL_HOURS,
      loginMaxAttempts: e.LOGIN_MAX_ATTEMPTS,
      lockoutMinutes: e.LOGIN_LOCKOUT_MINUTES,
    },
    demo: e.SORI_DEMO,
    adminEmail: e.ADMIN_EMAIL,
    redisUrl: e.REDIS_URL,
    jobsEnabled: e.JOBS_ENABLED,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    presenceGraceSeconds: e.AGENT_PRESENCE_GRACE_SECONDS,
    chatOfferTimeoutSeconds: e.CHAT_OFFER_TIMEOUT_SECONDS,
    email: emailConfig(e, baseUrl),
  };
}

function emailConfig(e: Env, baseUrl: string): EmailConfig {
  return {
    smtp: {
      enabled: e.EMAIL_SMTP_ENABLED,
      host: e.EMAIL_SMTP_HOST,
      port: e.EMAIL_SMTP_PORT,
      hostname: e.EMAIL_SMTP_HOSTNAME ?? new URL(baseUrl).hostname,
      auth:
        e.EMAIL_SMTP_AUTH_USER && e.EMAIL_SMTP_AUTH_PASSWORD
          ? { user: e.EMAIL_SMTP_AUTH_USER, password: e.EMAIL_SMTP_AUTH_PASSWORD }
          : undefined,
      tls:
        e.EMAIL_SMTP_TLS_KEY && e.EMAIL_SMTP_TLS_CERT
          ? { keyPath: resolve(e.EMAIL_SMTP_TLS_KEY), certPath: resolve(e.EMAIL_SMTP_TLS_CERT) }
          : undefined,
    },
    maxMessageBytes: e.EMAIL_MAX_MESSAGE_BYTES,
    ingestConcurrency: e.EMAIL_INGEST_CONCURRENCY,
    sendConcurrency: e.EMAIL_SEND_CONCURRENCY,
    senderRateLimitPerHour: e.EMAIL_SENDER_RATE_LIMIT,
    imapPollSeconds: e.EMAIL_IMAP_POLL_SECONDS,
  };
}
