import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { startApp } from './app/bootstrap';
import { flushLogs, logger } from './common/logging/logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, ...(process.argv.includes('--demo') ? { SORI_DEMO: '1' } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Sori cannot start.\n${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const started = await startApp(config);
  const log = logger('boot');
  if (started.firstAdmin) {
    const loginUrl = `${started.url}/app/login`;
    log.info(
      { email: started.firstAdmin.email, password: started.firstAdmin.password, loginUrl },
      'first admin created',
    );
    process.stdout.write(
      `\n  Sori is running at ${started.url}\n  Sign in at ${loginUrl}\n  email:    ${started.firstAdmin.email}\n  password: ${started.firstAdmin.password}\n  (shown once; change it after signing in)\n\n`,
    );
  }

  if (started.demo?.seeded) {
    log.info({ agents: started.demo.agents, password: started.demo.password }, 'demo workspace loaded');
    process.stdout.write(
      `  Demo workspace loaded. Demo agents (password ${started.demo.password}):\n` +
        started.demo.agents.map((a) => `    ${a.email} (${a.role})`).join('\n') +
        '\n\n',
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      flushLogs();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    started
      .close()
      .then(() => {
        flushLogs();
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err: String(err) }, 'error during shutdown');
        flushLogs();
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error({ reason: String(reason) }, 'unhandled promise rejection'));
}

main().catch((err: unknown) => {
  flushLogs();
  process.stderr.write(`Sori failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
