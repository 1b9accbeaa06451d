import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { assertWriteScope, type Actor } from '../common/auth/actor';
import { CREDENTIALS_TOPIC, credentialEvents } from '../common/auth/credential-events';
import { hashPassword, newToken, sha256, verifyPassword } from '../common/auth/secrets';
import { DomainError, NotFoundError, RateLimitedError, ValidationError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import { MailService } from '../common/mail/mail.service';
import { RealtimeBus, type BusEvent } from '../common/pubsub/realtime-bus';
import { CredentialCache } from './credential-cache';
import { Agent, ApiToken, type AgentSession, type TokenScope } from './entities';
import { IdentityRepository, type ActorRow } from './identity.repository';
import { LoginRateLimiter } from './login-rate-limiter';

export const SESSION_COOKIE = 'sori_session';
const SESSION_TOKEN_PREFIX = 'sess_';
export const API_TOKEN_PREFIX = 'sori_pat_';
const RESET_TTL_MS = 60 * 60 * 1000;

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface NewSession {
  token: string;
  session: AgentSession;
  agent: Agent;
  maxAgeMs: number;
}

/** Sign-in, sessions, API tokens and password resets. */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly limiter = new LoginRateLimiter();
  /** Live sessions and tokens by hash: most requests skip the credential round trip. */
  private readonly sessions = new CredentialCache<{ session: AgentSession; actor: ActorRow }>();
  private readonly tokens = new CredentialCache<{
    tokenId: string;
    scopes: TokenScope[];
    lastUsedAt: Date | null;
    expiresAt: Date | null;
    actor: ActorRow;
  }>();
  /** Verified against for unknown emails, so they cost as much time as wrong passwords. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly repo: IdentityRepository,
    private readonly mail: MailService,
    private readonly bus: RealtimeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.bus.on(CREDENTIALS_TOPIC, (e) => this.forget(e));
    this.bus.onResync(() => {
      this.sessions.clear();
      this.tokens.clear();
    });
  }

  private forget(event: Pick<BusEvent, 'kind' | 'id'>): void {
    this.sessions.apply(event);
    this.tokens.apply(event);
  }

  /**
   * Publishes a credential event (`credentialEvents`), after applying it to this process's
   * credential cache, so the next request here already sees the change; other processes apply it
   * when the bus delivers it, as their open WebSockets do.
   */
  async announce(event: BusEvent): Promise<void> {
    this.forget(event);
    await this.bus.publish(event);
  }

  async login(email: string, password: string, client: ClientInfo): Promise<NewSession> {
    const ipKey = client.ip ?? 'unknown';
    const attemptAt = Date.now();
    const wait = this.limiter.hit(ipKey, attemptAt);
    if (wait > 0) throw new RateLimitedError(wait);
    let agent: Agent;
    try {
      agent = await this.verifiedAgent(email, password);
    } catch (err) {
      // Only refused credentials count; a database outage must not rate-limit a whole office.
      if (!(err instanceof DomainError)) this.limiter.release(ipKey, attemptAt);
      throw err;
    }
    this.limiter.release(ipKey, attemptAt);
    await this.repo.updateAgent(agent.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() });
    return this.createSession(agent, client);
  }

  /** The agent behind these credentials, or the error to show; wrong passwords count towards the lockout. */
  private async verifiedAgent(email: string, password: string): Promise<Agent> {
    const agent = await this.repo.findAgentByEmailWithHash(email.trim());
    if (!agent?.passwordHash) {
      this.dummyHash ??= hashPassword(newToken('dummy'));
      await verifyPassword(await this.dummyHash, password);
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong.');
    }
    if (agent.lockedUntil && agent.lockedUntil > new Date()) {
      throw this.lockedError(agent.lockedUntil);
    }
    if (!(await verifyPassword(agent.passwordHash, password))) {
      const { lockedUntil } = await this.repo.recordFailedLogin(
        agent.id,
        this.config.auth.loginMaxAttempts,
        this.config.auth.lockoutMinutes,
      );
      if (lockedUntil) throw this.lockedError(lockedUntil);
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong.');
    }
    if (!agent.isActive) {
      throw new DomainError(ErrorCode.ACCOUNT_DEACTIVATED, 'This account was deactivated by an administrator.');
    }
    return agent;
  }

  private lockedError(until: Date): DomainError {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000));
    return new DomainError(
      ErrorCode.ACCOUNT_LOCKED,
      `Too many wrong passwords. The account is locked for ${minutes} more minute(s), or reset the password.`,
      { lockedUntil: until.toISOString() },
    );
  }

  async createSession(agent: Agent, client: ClientInfo): Promise<NewSession> {
    const token = newToken(SESSION_TOKEN_PREFIX);
    const maxAgeMs = this.config.auth.sessionTtlHours * 3600_000;
    const session = await this.repo.saveSession({
      id: sha256(token),
      agentId: agent.id,
      csrfToken: newToken('', 24),
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
      lastSeenAt: new Date(),
      expiresAt: new Date(Date.now() + maxAgeMs),
    });
    const fresh = (await this.repo.findAgent(agent.id)) ?? agent;
    return { token, session, agent: fresh, maxAgeMs };
  }

  async logout(sessionId: string): Promise<void> {
    await this.repo.revokeSession(sessionId);
    await this.announce(credentialEvents.sessionRevoked(sessionId));
  }

  /** Cookie value → actor; null for unknown, expired, revoked or deactivated. */
  async actorFromSession(cookieValue: string): Promise<{ actor: Actor; session: AgentSession } | null> {
    if (!cookieValue.startsWith(SESSION_TOKEN_PREFIX) || cookieValue.length > 200) return null;
    const id = sha256(cookieValue);
    let found = this.sessions.get(id);
    if (!found) {
      const generation = this.sessions.generation();
      const live = await this.repo.liveSessionWithActor(id);
      if (!live) return null;
      found = live;
      this.sessions.set(
        id,
        live,
        { agentId: live.session.agentId, credentialId: id, expiresAt: live.session.expiresAt },
        generation,
      );
    }
    const { session, actor: row } = found;
    if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
      session.lastSeenAt = new Date();
      await this.repo.touchSession(session.id);
    }
    return {
      session,
      actor: { kind: 'agent', ...row, via: 'session', scopes: ['read', 'write'], sessionId: session.id },
    };
  }

  /** Bearer token → actor; null when unknown, revoked, expired or its agent is deactivated. */
  async actorFromApiToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
    const hash = sha256(token);
    let found = this.tokens.get(hash);
    if (!found) {
      const generation = this.tokens.generation();
      const live = await this.repo.liveApiTokenWithActor(hash);
      if (!live) return null;
      found = live;
      this.tokens.set(
        hash,
        live,
        { agentId: live.actor.agentId, credentialId: live.tokenId, expiresAt: live.expiresAt },
        generation,
      );
    }
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
      found.lastUsedAt = new Date();
      await this.repo.touchApiToken(found.tokenId);
    }
    return { kind: 'agent', ...found.actor, via: 'token', scopes: found.scopes, tokenId: found.tokenId };
  }

  async createApiToken(
    actor: Actor,
    input: { name: string; scopes: TokenScope[]; expiresAt?: Date },
  ): Promise<{ token: string; apiToken: ApiToken }> {
    const agentId = this.requireAgent(actor);
    if (actor.via === 'token')
      throw new DomainError(ErrorCode.FORBIDDEN, 'Create API tokens from a signed-in session.');
    const scopes = [...new Set(input.scopes)];
    if (!scopes.length) throw new ValidationError('Choose at least one scope: read or write.');
    if (actor.role === 'viewer' && scopes.includes('write')) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Viewers can only create read tokens.');
    }
    if (input.expiresAt && input.expiresAt <= new Date()) throw new ValidationError('expiresAt must be in the future.');
    const token = newToken(API_TOKEN_PREFIX);
    const apiToken = await this.repo.saveApiToken({
      agentId,
      name: input.name.trim(),
      tokenHash: sha256(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      scopes,
      expiresAt: input.expiresAt ?? null,
    });
    return { token, apiToken };
  }

  listApiTokens(actor: Actor): Promise<ApiToken[]> {
    return this.repo.listApiTokens(this.requireAgent(actor));
  }

  async revokeApiToken(actor: Actor, id: string): Promise<ApiToken> {
    assertWriteScope(actor);
    const token = await this.repo.findApiToken(id);
    if (!token || (token.agentId !== actor.agentId && actor.role !== 'admin')) throw new NotFoundError('ApiToken', id);
    await this.repo.revokeApiToken(id);
    await this.announce(credentialEvents.tokenRevoked(id));
    return (await this.repo.findApiToken(id)) as ApiToken;
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    assertWriteScope(actor);
    const agent = await this.repo.findAgentWithHash(this.requireAgent(actor));
    if (!agent?.passwordHash || !(await verifyPassword(agent.passwordHash, currentPassword))) {
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The current password is wrong.');
    }
    await this.repo.updateAgent(agent.id, { passwordHash: await hashPassword(newPassword) });
    // whoever knew the old password is signed out everywhere else; this session stays
    const revoked = await this.repo.revokeOtherSessions(agent.id, actor.sessionId ?? null);
    for (const id of revoked) await this.announce(credentialEvents.sessionRevoked(id));
  }

  /** Always succeeds from the caller's view, so it reveals nothing about which emails exist. */
  async requestPasswordReset(email: string, client: ClientInfo): Promise<void> {
    const wait = this.limiter.hit(`reset:${client.ip ?? 'unknown'}`);
    if (wait > 0) throw new RateLimitedError(wait);
    const agent = await this.repo.findAgentByEmailWithHash(email.trim());
    if (!agent?.isActive) return;
    const token = newToken('rst_');
    await this.repo.savePasswordReset({
      agentId: agent.id,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
    });
    const link = `${this.config.baseUrl}/app/reset-password/${token}`;
    await this.mail.send({
      to: agent.email,
      purpose: 'password_reset',
      subject: agent.locale === 'ko' ? 'Sori 비밀번호 재설정' : 'Reset your Sori password',
      text:
        agent.locale === 'ko'
          ? `아래 링크에서 새 비밀번호를 설정하세요 (1시간 동안 유효):\n${link}\n\n요청하지 않았다면 이 메일을 무시하세요.`
          : `Set a new password here (valid for one hour):\n${link}\n\nIf you did not ask for this, ignore this mail.`,
    });
  }

  async resetPassword(token: string, password: string): Promise<void> {
    const agentId = await this.repo.transaction(async (m) => {
      const reset = await this.repo.liveResetByHash(sha256(token), m);
      if (!reset) throw new DomainError(ErrorCode.INVALID_TOKEN, 'This reset link is invalid or has expired.');
      await m.query(`UPDATE password_reset SET used_at = now() WHERE id = $1`, [reset.id]);
      await this.repo.updateAgent(
        reset.agentId,
        { passwordHash: await hashPassword(password), failedLoginCount: 0, lockedUntil: null },
        m,
      );
      await m.query(`UPDATE agent_session SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, [
        reset.agentId,
      ]);
      return reset.agentId;
    });
    await this.announce(credentialEvents.sessionsRevoked(agentId));
  }

  private requireAgent(actor: Actor): string {
    if (!actor.agentId) throw new DomainError(ErrorCode.FORBIDDEN, 'Only agents can do this.');
    return actor.agentId;
  }
}
