import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable Sori reads. Names are the variable names, so errors name them. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DB_POOL_SIZE: positiveInt.max(200).default(10),
  DB_STATEMENT_TIMEOUT_MS: positiveInt.default(15000),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5433),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAIL_TRANSPORT: z.enum(['log', 'smtp']).default('log'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Sori <no-reply@localhost>'),
  STORAGE_DIR: z.string().min(1).optional(),
  MAX_UPLOAD_BYTES: positiveInt.default(20 * 1024 * 1024),
  MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  ALLOWED_UPLOAD_TYPES: z
    .string()
    .default(
      'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,' +
        'application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
        'application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,message/rfc822',
    ),
  GRAPHQL_MAX_DEPTH: positiveInt.max(50).default(10),
  GRAPHQL_MAX_COMPLEXITY: positiveInt.default(2000),
  SESSION_TTL_HOURS: positiveInt.default(24 * 14),
  LOGIN_MAX_ATTEMPTS: positiveInt.default(5),
  LOGIN_LOCKOUT_MINUTES: positiveInt.default(15),
  SORI_DEMO: bool.default('0'),
  ADMIN_EMAIL: z.string().email().default('admin@example.com'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  JOBS_ENABLED: bool.default('1'),
  EMAIL_SMTP_ENABLED: bool.default('0'),
  EMAIL_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  EMAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  EMAIL_SMTP_HOSTNAME: z.string().min(1).optional(),
  EMAIL_SMTP_AUTH_USER: z.string().min(1).optional(),
  EMAIL_SMTP_AUTH_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  EMAIL_SMTP_TLS_KEY: z.string().min(1).optional(),
  EMAIL_SMTP_TLS_CERT: z.string().min(1).optional(),
  EMAIL_MAX_MESSAGE_BYTES: positiveInt.default(100 * 1024 * 1024),
  EMAIL_INGEST_CONCURRENCY: positiveInt.max(64).default(4),
  EMAIL_SEND_CONCURRENCY: positiveInt.max(64).default(2),
  EMAIL_SENDER_RATE_LIMIT: positiveInt.default(30),
  EMAIL_IMAP_POLL_SECONDS: positiveInt.default(60),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
  AGENT_PRESENCE_GRACE_SECONDS: positiveInt.max(3600).default(60),
  CHAT_OFFER_TIMEOUT_SECONDS: positiveInt.max(3600).default(45),
});

export type Env = z.infer<typeof envSchema>;
