import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { mapError } from '../graphql/format-error';
import { DatabaseHealthService } from '../health/database-health.service';
import { httpStatusOf } from './error-codes';

/**
 * Plain HTTP routes answer errors as `{ error: { code, message } }` with the code's status.
 * GraphQL errors pass through untouched: Apollo formats those.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly dbHealth: DatabaseHealthService) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    this.dbHealth.reportFailure(exception);
    if (host.getType<string>() === 'graphql') return exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such page.' } });
    }
    const mapped = mapError(exception);
    return res.status(httpStatusOf[mapped.code]).json({ error: { code: mapped.code, message: mapped.message } });
  }
}
