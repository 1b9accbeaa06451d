import { unwrapResolverError } from '@apollo/server/errors';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { isConnectionError } from '../health/database-health.service';
import { logger } from '../logging/logger';

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** Apollo's own codes, mapped onto ours. */
const apolloCodes: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.GRAPHQL_VALIDATION_FAILED,
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
};

export interface MappedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Turns anything thrown into one of our codes with a message safe to show to the caller. */
export function mapError(original: unknown, fallbackCode?: string, fallbackMessage?: string): MappedError {
  if (original instanceof DomainError) {
    return { code: original.code, message: original.message, details: original.details };
  }
  if (isConnectionError(original)) {
    return { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The database is unavailable. Try again shortly.' };
  }
  if (original instanceof PayloadTooLargeException) {
    return { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large.' };
  }
  if (original instanceof BadRequestException) {
    const body = original.getResponse() as { message?: string | string[] };
    const problems = Array.isArray(body.message) ? body.message : [body.message ?? original.message];
    return { code: ErrorCode.VALIDATION_FAILED, message: problems.join('; '), details: { problems } };
  }
  if (original instanceof HttpException && original.getStatus() < 500) {
    return { code: ErrorCode.BAD_USER_INPUT, message: original.message };
  }
  if (original instanceof QueryFailedError) {
    const fromDatabase = mapDatabaseError(original as QueryFailedError<Error>);
    if (fromDatabase) return fromDatabase;
  }
  if (fallbackCode === 'BAD_REQUEST' && fallbackMessage?.includes('Cross-Site Request Forgery')) {
    return {
      code: ErrorCode.CSRF_FAILED,
      message:
        'Blocked as a possible cross-site request forgery: send JSON (content-type: application/json) ' +
        'or an Apollo-Require-Preflight header.',
    };
  }
  if (fallbackCode && knownCodes.has(fallbackCode)) {
    return { code: fallbackCode as ErrorCode, message: fallbackMessage ?? 'Request failed.' };
  }
  if (fallbackCode && apolloCodes[fallbackCode]) {
    return { code: apolloCodes[fallbackCode], message: fallbackMessage ?? 'Bad request.' };
  }
  logger('errors').error(
    { err: original instanceof Error ? { message: original.message, stack: original.stack } : original },
    'unexpected error',
  );
  return { code: ErrorCode.INTERNAL, message: 'Something went wrong on our side. The error was logged.' };
}

/**
 * PostgreSQL refusing a value that came with the request (SQLSTATE class 22): U+0000 in text or
 * JSON, an impossible date, a number out of range. The services check what they can first.
 */
const REFUSED_VALUE_STATES = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);

/** Database errors that are the request's doing (a bad value, a race on a unique name), not a bug. */
function mapDatabaseError(err: QueryFailedError<Error>): MappedError | undefined {
  const state = (err.driverError as { code?: string } | undefined)?.code;
  if (state === '40001' || state === '40P01') {
    return { code: ErrorCode.CONFLICT, message: 'Someone else changed this at the same time. Reload and retry.' };
  }
  if (state === '23505') {
    // a concurrent request created the same unique thing between the service's check and its insert
    return { code: ErrorCode.ALREADY_EXISTS, message: 'This already exists (it was just created by another request).' };
  }
  if (state && REFUSED_VALUE_STATES.has(state)) {
    logger('errors').warn({ sqlState: state, err: err.message }, 'database refused a value of the request');
    return {
      code: ErrorCode.VALIDATION_FAILED,
      message:
        'A value in the request cannot be stored: text must not contain U+0000, dates and numbers must be valid.',
    };
  }
  return undefined;
}

/**
 * Apollo re-wraps errors of validation rules (ours: QUERY_TOO_DEEP) as GRAPHQL_VALIDATION_FAILED;
 * the rule's own code, kept on the wrapped original, is the more useful one.
 */
function ownCodeOfWrapped(error: unknown): ErrorCode | undefined {
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError ? inner.extensions?.code : undefined;
  return typeof code === 'string' && knownCodes.has(code) ? (code as ErrorCode) : undefined;
}

export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const wrappedCode = ownCodeOfWrapped(error);
  if (wrappedCode) return { ...formatted, extensions: { ...formatted.extensions, code: wrappedCode } };
  const fallbackCode = formatted.extensions?.code as string | undefined;
  const isOurGraphQLError = original === error && fallbackCode !== undefined && knownCodes.has(fallbackCode);
  if (isOurGraphQLError) return { ...formatted, extensions: { ...formatted.extensions } };
  const mapped = mapError(original, fallbackCode, formatted.message);
  return {
    message: mapped.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...(mapped.details ?? {}), code: mapped.code },
  };
}
