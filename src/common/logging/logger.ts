import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export interface RequestContext {
  requestId: string;
}

/** Carries the request id through every await of one request, so every log line names it. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

let root: Logger = pino({ level: 'info' });

export function configureLogger(level: string): Logger {
  root = pino({
    level,
    base: { app: 'sori' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const ctx = requestContext.getStore();
      return ctx ? { requestId: ctx.requestId } : {};
    },
  });
  return root;
}

export function logger(context?: string): Logger {
  return context ? root.child({ context }) : root;
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
