import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { logger, requestContext } from './logger';

const incomingId = /^[A-Za-z0-9._-]{8,128}$/;

/** Assigns a request id (or keeps a sane incoming X-Request-Id), echoes it, logs the request. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const header = req.header('x-request-id');
  const requestId = header && incomingId.test(header) ? header : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  requestContext.run({ requestId }, () => {
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      if (path === '/healthz' || path === '/metrics') return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger('http').info(
        { method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  });
}
