import { Injectable } from '@nestjs/common';

/** A widget visitor on a connection: may only touch its own conversations of its widget. */
export interface VisitorPrincipal {
  kind: 'visitor';
  visitorId: string;
  widgetId: string;
  ip: string | undefined;
}

export interface VisitorConnection {
  token: unknown;
  ip: string | undefined;
  origin: string | undefined;
  userAgent: string | undefined;
}

export type VisitorAuthResult =
  { ok: true; principal: VisitorPrincipal; release?: () => void } | { ok: false; code: number; reason: string };

export type VisitorAuthenticator = (c: VisitorConnection) => Promise<VisitorAuthResult>;

/**
 * Lets the widget channel authenticate visitors on `/graphql` without common/ depending on it:
 * the channel registers its authenticator at start; without one, visitor tokens are refused.
 */
@Injectable()
export class VisitorAuthRegistry {
  private authenticator?: VisitorAuthenticator;

  use(authenticator: VisitorAuthenticator): void {
    this.authenticator = authenticator;
  }

  authenticate(c: VisitorConnection): Promise<VisitorAuthResult> {
    if (!this.authenticator) return Promise.resolve({ ok: false, code: 4401, reason: 'Visitors are not accepted' });
    return this.authenticator(c);
  }
}
