import { ErrorCode } from './error-codes';

export type ErrorDetails = Record<string, unknown>;

/** Base of every error a service throws on purpose. The code reaches the client unchanged. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(ErrorCode.VALIDATION_FAILED, message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign in first: this needs a session or an API token.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have permission to do this.', details: ErrorDetails = {}) {
    super(ErrorCode.FORBIDDEN, message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(ErrorCode.CONFLICT, message, details);
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}

const notFoundCodes = {
  Agent: ErrorCode.AGENT_NOT_FOUND,
  Group: ErrorCode.GROUP_NOT_FOUND,
  Contact: ErrorCode.CONTACT_NOT_FOUND,
  Organization: ErrorCode.ORGANIZATION_NOT_FOUND,
  Ticket: ErrorCode.TICKET_NOT_FOUND,
  TicketField: ErrorCode.TICKET_FIELD_NOT_FOUND,
  TicketForm: ErrorCode.TICKET_FORM_NOT_FOUND,
  Conversation: ErrorCode.CONVERSATION_NOT_FOUND,
  Message: ErrorCode.MESSAGE_NOT_FOUND,
  Attachment: ErrorCode.ATTACHMENT_NOT_FOUND,
  ApiToken: ErrorCode.API_TOKEN_NOT_FOUND,
  Widget: ErrorCode.WIDGET_NOT_FOUND,
  Visitor: ErrorCode.VISITOR_NOT_FOUND,
  BusinessHours: ErrorCode.BUSINESS_HOURS_NOT_FOUND,
  ProactiveRule: ErrorCode.PROACTIVE_RULE_NOT_FOUND,
  WidgetBlock: ErrorCode.BLOCK_NOT_FOUND,
  Mailbox: ErrorCode.MAILBOX_NOT_FOUND,
  InboundMail: ErrorCode.INBOUND_MAIL_NOT_FOUND,
  Macro: ErrorCode.MACRO_NOT_FOUND,
  CannedResponse: ErrorCode.CANNED_RESPONSE_NOT_FOUND,
  SavedView: ErrorCode.SAVED_VIEW_NOT_FOUND,
} as const;

export type FindableEntity = keyof typeof notFoundCodes;

/**
 * Thrown for ids that do not exist *and* for ids the caller may not see, so that
 * probing ids reveals nothing about other agents' restricted data.
 */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string | number) {
    const code = (notFoundCodes as Record<string, ErrorCode>)[entity] ?? ErrorCode.NOT_FOUND;
    super(code, `${entity} ${id} was not found.`, { entity, id: String(id) });
  }
}
