import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request, Response } from 'express';
import {
  GraphQLError,
  specifiedRules,
  type GraphQLFormattedError,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { AppConfig } from '../../config/config';
import { AuthService, SESSION_COOKIE } from '../../identity/auth.service';
import type { Actor } from '../auth/actor';
import { onCredentialRevoked } from '../auth/credential-events';
import type { AgentConnectionRegistry } from '../auth/connections';
import type { VisitorAuthRegistry, VisitorPrincipal } from '../auth/visitor';
import type { GraphQLContext } from '../auth/current-actor.decorator';
import { ErrorCode } from '../errors/error-codes';
import { isConnectionError } from '../health/database-health.service';
import { requestContext } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { RealtimeBus } from '../pubsub/realtime-bus';
import { shareEmptyArgumentValues } from './argument-values';
import { assertComplexity, complexityPlugin, depthLimitRule } from './limits';
import { registerFrameTarget } from './direct-frames';
import { DocumentCache } from './document-cache';
import { sharedSubscribe } from './shared-execution';
import { formatGraphQLError } from './format-error';
import { answerPreloadedFields } from './preloaded';

interface WsExtra {
  request: Request;
  socket: WebSocket;
  actor?: Actor;
  visitor?: VisitorPrincipal;
  stop?: () => void;
}

/** Operations running at once on one WebSocket; each live subscription holds listeners and a stream. */
const MAX_OPERATIONS_PER_SOCKET = 100;

/** Header carrying a widget visitor token on HTTP requests (the widget itself uses the WebSocket). */
export const VISITOR_HEADER = 'x-sori-visitor';

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Keeps an error's own code (depth, cost, variables) and gives uncoded ones `fallback`. */
function withCode(err: GraphQLError, fallback: ErrorCode): GraphQLError {
  if (typeof err.extensions.code === 'string') return err;
  return new GraphQLError(err.message, { nodes: err.nodes, extensions: { ...err.extensions, code: fallback } });
}

function bearer(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Resolves the actor from a bearer token or the session cookie; a bad token is an error, not anonymous. */
export async function resolveActor(
  auth: AuthService,
  authorization: string | undefined,
  cookies: string | undefined,
): Promise<Actor | null> {
  try {
    return await lookUpActor(auth, authorization, cookies);
  } catch (err) {
    // Credentials are checked before any resolver runs, so the database being away shows up here first.
    if (!isConnectionError(err)) throw err;
    throw new GraphQLError('The database is unavailable. Try again shortly.', {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, http: { status: 503 } },
    });
  }
}

async function lookUpActor(
  auth: AuthService,
  authorization: string | undefined,
  cookies: string | undefined,
): Promise<Actor | null> {
  const token = bearer(authorization);
  if (authorization && !token) throw authError('Authorization must be "Bearer <token>".');
  if (token) {
    const actor = await auth.actorFromApiToken(token);
    if (!actor) throw authError('This API token is invalid, revoked or expired.');
    return actor;
  }
  const session = cookieValue(cookies, SESSION_COOKIE);
  return session ? ((await auth.actorFromSession(session))?.actor ?? null) : null;
}

/**
 * Browsers send the session cookie with a WebSocket opened by any page of the same site (and
 * WebSockets are not bound by CORS), so a cookie-authenticated socket must come from one of our
 * own pages: its Origin names this server (BASE_URL, or the Host the request was sent to). A
 * client without an Origin is not a browser page and holds the cookie itself.
 */
export function cookieSocketOriginAllowed(request: Request, baseUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (!host) return false;
  const forwarded = request.headers['x-forwarded-host'];
  const ours = [new URL(baseUrl).host, request.headers.host, ...(typeof forwarded === 'string' ? [forwarded] : [])];
  return ours.includes(host);
}

function authError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/** Distinct operation names kept as metric labels; every series costs memory and scrape time. */
const MAX_OPERATION_LABELS = 200;

/**
 * The operation-name label. Names are chosen by the client, so a label is only created for a
 * signed-in caller (up to a fixed number of names); anyone else reuses existing ones or gets `other`.
 */
function operationLabel(known: Set<string>, name: string | null | undefined, signedIn: boolean): string {
  if (!name) return 'anonymous';
  if (known.has(name)) return name;
  if (!signedIn || known.size >= MAX_OPERATION_LABELS || name.length > 100) return 'other';
  known.add(name);
  return name;
}

function metricsPlugin(metrics: MetricsService): ApolloServerPlugin<GraphQLContext> {
  const known = new Set<string>();
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, errors, response, contextValue }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlDuration.observe(
            {
              type: operation?.operation ?? 'unknown',
              operation: operationLabel(known, operationName, !!contextValue?.actor),
              outcome: errors?.length ? 'error' : 'ok',
            },
            seconds,
          );
          for (const e of singleResult(response)?.errors ?? []) metrics.graphqlErrors.inc({ code: errorCode(e) });
        },
      };
    },
  };
}

const singleResult = (response: GraphQLResponse) =>
  response.body.kind === 'single' ? response.body.singleResult : undefined;
const errorCode = (e: GraphQLFormattedError) =>
  typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL';

/**
 * An operation that ran answers 200 with its errors in the body (what GraphQL clients expect;
 * replaces Nest's own plugin, switched off below), except when the database was away: 503 tells
 * load balancers and clients to retry.
 */
function httpStatusPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const body = singleResult(response);
          if (body?.errors?.some((e) => errorCode(e) === String(ErrorCode.SERVICE_UNAVAILABLE))) {
            response.http.status = 503;
          } else if (body && 'data' in body) response.http.status = 200;
        },
      };
    },
  };
}

export function graphqlOptions(
  config: AppConfig,
  auth: AuthService,
  metrics: MetricsService,
  bus: RealtimeBus,
  visitors: VisitorAuthRegistry,
  connections?: AgentConnectionRegistry,
): Omit<ApolloDriverConfig, 'driver'> {
  shareEmptyArgumentValues();
  let schema: GraphQLSchema | undefined;
  const documents = new DocumentCache();
  const wsRules = [...specifiedRules, depthLimitRule(config.graphql.maxDepth)];
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: true,
    playground: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    transformSchema: (s: GraphQLSchema) => {
      schema = answerPreloadedFields(s);
      return schema;
    },
    validationRules: [depthLimitRule(config.graphql.maxDepth)],
    plugins: [
      // GraphQL responses are never HTTP-cached, so skip the per-field cache-hint bookkeeping
      ApolloServerPluginCacheControlDisabled(),
      complexityPlugin(() => schema as GraphQLSchema, config.graphql.maxComplexity),
      metricsPlugin(metrics),
      httpStatusPlugin(),
    ],
    formatError: formatGraphQLError,
    // httpStatusPlugin sets the status of executed operations (200, or 503 when the database is away)
    preserveHttpStatusForExecutionErrors: false,
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // passed on to graphql-ws's useServer (@nestjs/graphql spreads these options into it)
        ...({ subscribe: sharedSubscribe } as object),
        connectionInitWaitTimeout: 10_000,
        onConnect: async (ctx: WsContext) => {
          const extra = ctx.extra as WsExtra;
          const params: Record<string, unknown> = ctx.connectionParams ?? {};
          // a visitor token wins over any agent cookie the browser sends along to our host
          if (params.visitorToken !== undefined) {
            const req = extra.request;
            const result = await visitors.authenticate({
              token: params.visitorToken,
              ip: req.socket.remoteAddress,
              origin: firstHeader(req.headers.origin),
              userAgent: firstHeader(req.headers['user-agent']),
            });
            if (!result.ok) {
              extra.socket.close(result.code, result.reason);
              return false;
            }
            extra.visitor = result.principal;
            extra.stop = result.release;
            metrics.wsConnections.inc();
            return true;
          }
          const header =
            typeof params.authorization === 'string'
              ? params.authorization
              : typeof params.token === 'string'
                ? `Bearer ${params.token}`
                : undefined;
          if (header === undefined && !cookieSocketOriginAllowed(extra.request, config.baseUrl)) return false;
          let actor: Actor | null = null;
          try {
            actor = await resolveActor(auth, header, extra.request.headers.cookie);
          } catch {
            actor = null;
          }
          if (!actor) return false; // closes with 4403 Forbidden
          extra.actor = actor;
          metrics.wsConnections.inc();
          const stopRevoked = onCredentialRevoked(bus, actor, (reason) => extra.socket.close(4403, reason));
          const agentId = actor.agentId;
          if (agentId) connections?.connected(agentId);
          extra.stop = () => {
            stopRevoked();
            if (agentId) connections?.disconnected(agentId);
          };
          return true;
        },
        // The same limits as over HTTP: parse, depth, cost. Errors get our codes.
        // The parsed document is shared by every subscription with the same text (DocumentCache).
        onSubscribe: (ctx: WsContext, id: string, payload: SubscribePayload) => {
          // graphql-ws has already registered this operation in `subscriptions`
          if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_SOCKET) {
            return [
              new GraphQLError(
                `At most ${MAX_OPERATIONS_PER_SOCKET} subscriptions can run on one connection; complete some first.`,
                { extensions: { code: ErrorCode.RATE_LIMITED, maxSubscriptions: MAX_OPERATIONS_PER_SOCKET } },
              ),
            ];
          }
          if (!schema) return;
          try {
            const { document, errors } = documents.get(schema, payload.query, wsRules);
            if (errors.length) return errors.map((e) => withCode(e, ErrorCode.GRAPHQL_VALIDATION_FAILED));
            assertComplexity(
              schema,
              document,
              payload.variables ?? undefined,
              payload.operationName,
              config.graphql.maxComplexity,
            );
            const args = { schema, document, variableValues: payload.variables, operationName: payload.operationName };
            // plain selections of pushing streams write their frames directly (sharedSubscribe)
            const extra = ctx.extra as WsExtra;
            // ws writes its frames to the upgrade request's socket; direct frames go there whole
            registerFrameTarget(args, extra.socket, id, extra.request.socket);
            return args;
          } catch (err) {
            if (err instanceof GraphQLError) return [withCode(err, ErrorCode.GRAPHQL_PARSE_FAILED)];
            throw err;
          }
        },
        // Frames written directly (direct-frames.ts) skip this hook: they never carry errors.
        onNext: (_ctx: WsContext, _id: string, _payload: SubscribePayload, _args: unknown, result: ExecutionResult) => {
          if (!result.errors?.length) return;
          return { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) };
        },
        onClose: (ctx: WsContext) => {
          const extra = ctx.extra as WsExtra;
          if (extra.actor || extra.visitor) metrics.wsConnections.dec();
          extra.stop?.();
        },
      },
    },
    context: async (arg: { req?: Request; res?: Response; extra?: WsExtra }): Promise<GraphQLContext> => {
      if (arg.extra) {
        return {
          actor: arg.extra.actor ?? null,
          visitor: arg.extra.visitor ?? null,
          ip: arg.extra.request.socket.remoteAddress,
        };
      }
      const req = arg.req as Request;
      const res = arg.res as Response;
      const visitorToken = firstHeader(req.headers[VISITOR_HEADER]);
      if (visitorToken !== undefined) {
        const result = await visitors.authenticate({
          token: visitorToken,
          ip: req.ip,
          origin: firstHeader(req.headers.origin),
          userAgent: req.headers['user-agent'],
        });
        if (!result.ok) {
          throw new GraphQLError('The visitor token is invalid.', {
            extensions: { code: ErrorCode.VISITOR_TOKEN_INVALID, http: { status: 401 } },
          });
        }
        result.release?.();
        return { actor: null, visitor: result.principal, ip: req.ip, userAgent: req.headers['user-agent'] };
      }
      const actor = await resolveActor(auth, req.headers.authorization, req.headers.cookie);
      const secure = config.baseUrl.startsWith('https://');
      return {
        actor,
        requestId: requestContext.getStore()?.requestId,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        setCookie: (name, value, maxAgeMs) =>
          res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeMs, path: '/' }),
        clearCookie: (name) => res.clearCookie(name, { path: '/' }),
      };
    },
  };
}
