import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { assertAdmin, assertCanRead, type Actor } from '../../../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-codes';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { normalizeIdentity } from '../../../contacts/identity-values';
import { AgentsService } from '../../../identity/agents.service';
import type { ImapAfterFetch, Mailbox, MailboxLocale, SmtpSecurity } from '../entities';
import { baseAddress } from '../threading/tokens';
import { MailboxesRepository } from './mailboxes.repository';
import { decryptSecret, encryptSecret, hashWebhookSecret, newWebhookSecret } from './secrets';

export interface MailboxSmtpData {
  host: string;
  port: number;
  security: SmtpSecurity;
  user?: string | null;
  /** undefined keeps the stored password, null removes it. */
  password?: string | null;
}

export interface MailboxImapData {
  enabled: boolean;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password?: string | null;
  folder?: string;
  afterFetch?: ImapAfterFetch;
  moveTo?: string | null;
}

export interface MailboxData {
  address?: string;
  name?: string;
  senderName?: string | null;
  groupId?: string | null;
  signature?: string;
  locale?: MailboxLocale;
  subjectTag?: string;
  ackEnabled?: boolean;
  quoteHistory?: boolean;
  replyToToken?: boolean;
  brandColor?: string;
  isActive?: boolean;
  isDefault?: boolean;
  /** null: send through the system SMTP server (SMTP_URL). */
  smtp?: MailboxSmtpData | null;
  /** null: no IMAP polling. */
  imap?: MailboxImapData | null;
}

export interface MailboxWithSecret {
  mailbox: Mailbox;
  /** Shown once, when generated. */
  webhookSecret: string | null;
}

const CACHE_MS = 5000;

/** Mailboxes: admins configure them; the ways in and out look them up (cached for a few seconds). */
@Injectable()
export class MailboxesService {
  private cache?: { at: number; all: Promise<Mailbox[]> };

  constructor(
    private readonly repo: MailboxesRepository,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(actor: Actor): Promise<Mailbox[]> {
    assertCanRead(actor);
    return this.repo.list();
  }

  async get(actor: Actor, id: string): Promise<Mailbox> {
    assertCanRead(actor);
    const mailbox = await this.repo.find(id);
    if (!mailbox) throw new NotFoundError('Mailbox', id);
    return mailbox;
  }

  async create(actor: Actor, data: MailboxData): Promise<MailboxWithSecret> {
    assertAdmin(actor);
    if (!data.address || !data.name) throw new ValidationError('A mailbox needs an address and a name.');
    const values = await this.values(data, null);
    const secret = newWebhookSecret();
    const mailbox = await this.saving(() =>
      this.repo.transaction(async (m) => {
        const saved = await this.repo.save({ ...values, webhookSecretHash: hashWebhookSecret(secret) }, m);
        if (saved.isDefault) await this.repo.clearDefault(saved.id, m);
        return saved;
      }),
    );
    this.invalidate();
    return { mailbox, webhookSecret: secret };
  }

  async update(actor: Actor, id: string, data: MailboxData): Promise<Mailbox> {
    assertAdmin(actor);
    const current = await this.repo.find(id);
    if (!current) throw new NotFoundError('Mailbox', id);
    const values = await this.values(data, current);
    const mailbox = await this.saving(() =>
      this.repo.transaction(async (m) => {
        const saved = await this.repo.update(id, values, m);
        if (saved.isDefault) await this.repo.clearDefault(saved.id, m);
        return saved;
      }),
    );
    this.invalidate();
    return mailbox;
  }

  async remove(actor: Actor, id: string): Promise<string> {
    assertAdmin(actor);
    const deleted = await this.repo.transaction((m) => this.repo.delete(id, m));
    if (!deleted) throw new NotFoundError('Mailbox', id);
    this.invalidate();
    return id;
  }

  /** A new secret for the inbound webhook; the old one stops working. Shown once. */
  async rotateWebhookSecret(actor: Actor, id: string): Promise<MailboxWithSecret> {
    assertAdmin(actor);
    const secret = newWebhookSecret();
    const mailbox = await this.repo.transaction(async (m) => {
      if (!(await this.repo.find(id, m))) throw new NotFoundError('Mailbox', id);
      return this.repo.update(id, { webhookSecretHash: hashWebhookSecret(secret) }, m);
    });
    return { mailbox, webhookSecret: secret };
  }

  // ---- for the ways in and out

  /** Every mailbox, cached for a few seconds (read on every mail in and out). */
  all(): Promise<Mailbox[]> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const all = this.repo.list();
      all.catch(() => (this.cache = undefined));
      this.cache = { at: Date.now(), all };
    }
    return this.cache.all;
  }

  async active(): Promise<Mailbox[]> {
    return (await this.all()).filter((mb) => mb.isActive);
  }

  invalidate(): void {
    this.cache = undefined;
  }

  /** The active mailbox receiving at this address (plus tags ignored). */
  async byAddress(address: string): Promise<Mailbox | null> {
    const base = baseAddress(address);
    return (await this.active()).find((mb) => mb.address === base) ?? null;
  }

  /** Where mail goes out when a conversation names no mailbox: the default one, else the first. */
  async fallback(): Promise<Mailbox | null> {
    const all = await this.active();
    return all.find((mb) => mb.isDefault) ?? all[0] ?? null;
  }

  async byId(id: string | null | undefined): Promise<Mailbox | null> {
    if (!id) return null;
    return (await this.all()).find((mb) => mb.id === id) ?? null;
  }

  async ourAddresses(): Promise<Set<string>> {
    return new Set((await this.all()).map((mb) => mb.address));
  }

  smtpPassword(mailbox: Mailbox): string | null {
    return decryptSecret(this.config.secrets.app, mailbox.smtpPasswordEnc);
  }

  imapPassword(mailbox: Mailbox): string | null {
    return decryptSecret(this.config.secrets.app, mailbox.imapPasswordEnc);
  }

  get repository(): MailboxesRepository {
    return this.repo;
  }

  // ---- validation

  private async values(data: MailboxData, current: Mailbox | null): Promise<Partial<Mailbox>> {
    const v: Partial<Mailbox> = {};
    if (data.address !== undefined) v.address = normalizeIdentity('email', data.address);
    if (data.name !== undefined) v.name = text(data.name, 'name', 200, true);
    if (data.senderName !== undefined) v.senderName = data.senderName ? text(data.senderName, 'senderName', 200) : null;
    if (data.groupId !== undefined) v.groupId = data.groupId ? (await this.agents.getGroup(data.groupId)).id : null;
    if (data.signature !== undefined) v.signature = text(data.signature, 'signature', 5000);
    if (data.locale !== undefined) v.locale = data.locale;
    if (data.subjectTag !== undefined) v.subjectTag = subjectTag(data.subjectTag);
    if (data.brandColor !== undefined) {
      if (!/^#[0-9a-f]{6}$/i.test(data.brandColor)) throw new ValidationError('brandColor must look like #4f46e5.');
      v.brandColor = data.brandColor.toLowerCase();
    }
    for (const key of ['ackEnabled', 'quoteHistory', 'replyToToken', 'isActive', 'isDefault'] as const) {
      if (data[key] !== undefined) v[key] = data[key];
    }
    if (data.smtp !== undefined) Object.assign(v, this.smtpValues(data.smtp, current));
    if (data.imap !== undefined) Object.assign(v, this.imapValues(data.imap, current));
    return v;
  }

  private smtpValues(smtp: MailboxSmtpData | null, current: Mailbox | null): Partial<Mailbox> {
    if (!smtp) return { smtpHost: null, smtpPort: null, smtpUser: null, smtpPasswordEnc: null };
    return {
      smtpHost: host(smtp.host),
      smtpPort: port(smtp.port),
      smtpSecurity: smtp.security,
      smtpUser: smtp.user ? text(smtp.user, 'smtp.user', 320) : null,
      smtpPasswordEnc: this.password(smtp.password, current?.smtpPasswordEnc ?? null),
    };
  }

  private imapValues(imap: MailboxImapData | null, current: Mailbox | null): Partial<Mailbox> {
    if (!imap) return { imapEnabled: false, imapHost: null, imapPort: null, imapUser: null, imapPasswordEnc: null };
    if ((imap.afterFetch ?? 'seen') === 'move' && !imap.moveTo) {
      throw new ValidationError('imap.moveTo is required when fetched mail is moved.');
    }
    const changedServer = current && (current.imapHost !== imap.host || current.imapUser !== imap.user);
    return {
      imapEnabled: imap.enabled,
      imapHost: host(imap.host),
      imapPort: port(imap.port),
      imapTls: imap.tls,
      imapUser: text(imap.user, 'imap.user', 320, true),
      imapPasswordEnc: this.password(imap.password, current?.imapPasswordEnc ?? null),
      imapFolder: text(imap.folder ?? 'INBOX', 'imap.folder', 200, true),
      imapAfterFetch: imap.afterFetch ?? 'seen',
      imapMoveTo: imap.moveTo ? text(imap.moveTo, 'imap.moveTo', 200) : null,
      // another account or server: start from its beginning (duplicates are still detected)
      ...(changedServer ? { imapUidValidity: null, imapLastUid: 0 } : {}),
    };
  }

  private password(given: string | null | undefined, stored: string | null): string | null {
    if (given === undefined) return stored;
    if (given === null || given === '') return null;
    if (given.length > 1000) throw new ValidationError('The password is too long.');
    return encryptSecret(this.config.secrets.app, given);
  }

  private async saving<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        throw new DomainError(ErrorCode.ALREADY_EXISTS, 'A mailbox with this address already exists.');
      }
      throw err;
    }
  }
}

function text(value: string, field: string, max: number, required = false): string {
  const v = value.trim();
  if (required && !v) throw new ValidationError(`${field} cannot be empty.`);
  if (v.length > max) throw new ValidationError(`${field} can be at most ${max} characters.`);
  // eslint-disable-next-line no-control-regex -- header injection guard
  if (field !== 'signature' && /[\r\n\u0000]/.test(v))
    throw new ValidationError(`${field} cannot contain line breaks.`);
  return v;
}

function host(value: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(v) && !/^\[?[0-9a-f:.]+\]?$/.test(v)) {
    throw new ValidationError(`"${value}" is not a host name.`);
  }
  return v;
}

function port(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new ValidationError('A port is 1 to 65535.');
  return value;
}

function subjectTag(value: string): string {
  const v = value.trim();
  if (v && (!v.includes('{number}') || v.length > 40 || /[\r\n]/.test(v))) {
    throw new ValidationError('subjectTag must contain {number} (like [#{number}]) and be short, or be empty.');
  }
  return v;
}
