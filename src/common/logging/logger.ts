import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export interface RequestContext {
  requestId: string;
}

/** Carries the request id through every await of one request, so every log line names it. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

let root: Logger = pino({ level: 'info' });
let destination: ReturnType<typeof pino.destination> | undefined;
const children = new Map<string, Logger>();

/**
 * JSON lines to stdout, written asynchronously so a request never waits on the terminal or log
 * collector; `flushLogs()` drains the buffer before the process exits.
 */
export function configureLogger(level: string): Logger {
  destination = pino.destination({ dest: 1, sync: false });
  children.clear();
  root = pino(
    {
      level,
      base: { app: 'sori' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const ctx = requestContext.getStore();
        return ctx ? { requestId: ctx.requestId } : {};
      },
    },
    destination,
  );
  return root;
}

export function flushLogs(): void {
  try {
    destination?.flushSync();
  } catch {
    // not ready yet or already closed: nothing buffered to lose
  }
}

export function logger(context?: string): Logger {
  if (!context) return root;
  let child = children.get(context);
  if (!child) {
    child = root.child({ context });
    children.set(context, child);
  }
  return child;
}

/** Routes Nest's own log calls into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, context?: string) {
    logger(context).info(message);
  }
  error(message: unknown, trace?: string, context?: string) {
    logger(context).error({ trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    logger(context).warn(message);
  }
  debug(message: unknown, context?: string) {
    logger(context).debug(message);
  }
  verbose(message: unknown, context?: string) {
    logger(context).trace(message);
  }
}
