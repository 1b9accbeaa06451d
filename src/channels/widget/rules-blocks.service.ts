import { Injectable } from '@nestjs/common';
import { assertAdmin, assertCanRead, assertCanWrite, type Actor } from '../../common/auth/actor';
import { NotFoundError, ValidationError } from '../../common/errors/domain-error';
import { logger } from '../../common/logging/logger';
import { normalizeIdentity } from '../../contacts/identity-values';
import type { BlockKind, ProactiveRule, RuleAudience, WidgetBlock, WidgetVisitor } from './entities';
import { WidgetsRepository } from './widgets.repository';

export interface RuleData {
  name?: string;
  message?: string;
  urlPattern?: string | null;
  minSecondsOnPage?: number | null;
  minVisitCount?: number | null;
  audience?: RuleAudience;
  isActive?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const log = logger('widget');

/** Proactive message rules (admins) and visitor blocks (agents). */
@Injectable()
export class RulesAndBlocksService {
  constructor(private readonly repo: WidgetsRepository) {}

  async rules(actor: Actor, widgetId: string): Promise<ProactiveRule[]> {
    assertCanRead(actor);
    return this.repo.rulesOf(widgetId);
  }

  /** Active rules sent to the widget, which evaluates them in the browser. */
  activeRules(widgetId: string): Promise<ProactiveRule[]> {
    return this.repo.rulesOf(widgetId, true);
  }

  async saveRule(actor: Actor, id: string | null, widgetId: string | null, data: RuleData): Promise<ProactiveRule> {
    assertAdmin(actor);
    const current = id ? await this.repo.findRule(id) : null;
    if (id && !current) throw new NotFoundError('ProactiveRule', id);
    if (!current) {
      if (!widgetId || !(await this.repo.findWidget(widgetId))) throw new NotFoundError('Widget', widgetId ?? '');
      if (!data.name || !data.message) throw new ValidationError('A proactive rule needs a name and a message.');
    }
    const patch = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as Partial<ProactiveRule>;
    return this.repo.saveRule({ ...(current ?? { widgetId: widgetId as string }), ...patch });
  }

  async deleteRule(actor: Actor, id: string): Promise<boolean> {
    assertAdmin(actor);
    if (!(await this.repo.deleteRule(id))) throw new NotFoundError('ProactiveRule', id);
    return true;
  }

  async blocks(actor: Actor, widgetId: string | null): Promise<WidgetBlock[]> {
    assertCanRead(actor);
    return this.repo.listBlocks(widgetId);
  }

  async block(
    actor: Actor,
    input: { kind: BlockKind; value: string; widgetId?: string | null; reason?: string },
  ): Promise<WidgetBlock> {
    assertCanWrite(actor);
    const value = normalizeBlockValue(input.kind, input.value);
    if (input.widgetId && !(await this.repo.findWidget(input.widgetId)))
      throw new NotFoundError('Widget', input.widgetId);
    const block = await this.repo.insertBlock({
      widgetId: input.widgetId ?? null,
      kind: input.kind,
      value,
      reason: (input.reason ?? '').slice(0, 500),
      createdById: actor.agentId,
    });
    log.info({ kind: input.kind, widgetId: input.widgetId ?? null, agentId: actor.agentId }, 'visitor blocked');
    return block;
  }

  async unblock(actor: Actor, id: string): Promise<boolean> {
    assertCanWrite(actor);
    if (!(await this.repo.deleteBlock(id))) throw new NotFoundError('WidgetBlock', id);
    return true;
  }

  /** Is this visitor blocked by id, by the email it gave, or by the address it writes from? */
  isBlocked(visitor: WidgetVisitor, ip: string | undefined): Promise<boolean> {
    return this.repo.isBlocked(visitor.widgetId, [
      { kind: 'visitor', value: visitor.id },
      { kind: 'email', value: visitor.email?.toLowerCase() },
      { kind: 'ip', value: ip ? normalizeIp(ip) : null },
    ]);
  }
}

export function normalizeIp(ip: string): string {
  return ip.replace(/^::ffff:/, '').toLowerCase();
}

function normalizeBlockValue(kind: BlockKind, raw: string): string {
  const value = raw.trim();
  switch (kind) {
    case 'visitor':
      if (!UUID.test(value)) throw new ValidationError('A visitor id is a UUID.');
      return value.toLowerCase();
    case 'email':
      return normalizeIdentity('email', value);
    case 'ip':
      if (!/^[0-9a-f:.]{2,45}$/i.test(value)) throw new ValidationError(`"${raw}" is not an IP address.`);
      return normalizeIp(value);
  }
}
