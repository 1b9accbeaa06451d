import type { Request } from 'express';
import type { Actor } from '../../common/auth/actor';
import type { UiLocale } from '../../common/i18n/i18n';
import type { Agent, AgentSession } from '../../identity/entities';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** Who is looking at a workspace page, resolved once per request by SignedInGuard. */
export interface PageContext {
  actor: Actor;
  session: AgentSession;
  agent: Agent;
  locale: UiLocale;
  timezone: string;
  csrf: string;
  theme: ThemeChoice;
  canWrite: boolean;
  isAdmin: boolean;
}

export interface PageRequest extends Request {
  page?: PageContext;
}

/** Thrown when a page needs a session and there is none (or it expired): sends the agent to sign in. */
export class SessionRequired extends Error {
  constructor(readonly expired: boolean) {
    super('session required');
  }
}

/** A POST without the session's CSRF token. */
export class CsrfRejected extends Error {
  constructor() {
    super('csrf token missing or wrong');
  }
}

/** A page that needs administrator rights, opened by someone else. */
export class AdminRequired extends Error {
  constructor() {
    super('admin required');
  }
}
