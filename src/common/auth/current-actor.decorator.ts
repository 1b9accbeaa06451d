import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { UnauthenticatedError } from '../errors/domain-error';
import type { HasLoaders } from '../graphql/loaders';
import type { Actor } from './actor';
import type { VisitorPrincipal } from './visitor';

export interface GraphQLContext extends HasLoaders {
  actor: Actor | null;
  /** A widget visitor (visitor token); agent resolvers never see one, as `actor` stays null. */
  visitor?: VisitorPrincipal | null;
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /** Present for HTTP requests; lets login/logout set and clear the session cookie. */
  setCookie?: (name: string, value: string, maxAgeMs: number) => void;
  clearCookie?: (name: string) => void;
}

export function actorFrom(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  return ctx.actor;
}

/** The signed-in agent (or API token's agent). Throws UNAUTHENTICATED when there is none. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();
  return actorFrom(ctx);
});

export const GqlContext = createParamDecorator((_data: unknown, context: ExecutionContext): GraphQLContext => {
  return GqlExecutionContext.create(context).getContext<GraphQLContext>();
});
