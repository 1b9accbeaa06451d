import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { GraphQLContext } from './current-actor.decorator';
import type { VisitorPrincipal } from './visitor';

/** The widget visitor of the connection. Throws VISITOR_TOKEN_INVALID when there is none. */
export const CurrentVisitor = createParamDecorator((_data: unknown, context: ExecutionContext): VisitorPrincipal => {
  const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();
  if (!ctx.visitor) {
    throw new DomainError(ErrorCode.VISITOR_TOKEN_INVALID, 'Connect with the visitor token of the widget.');
  }
  return ctx.visitor;
});
