import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../common/auth/secrets';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { AttachmentsService } from '../../conversations/attachments/attachments.service';
import type { AuthorKindEnum } from '../../conversations/dto/conversation.dto';
import type { Message } from '../../conversations/entities';
import { AgentsService } from '../../identity/agents.service';
import { ChatsRepository } from './chats.repository';
import { WidgetAgentDto, WidgetMessageDto } from './dto/visitor.dto';

const DAY = 24 * 3600;

/** Messages as the visitor sees them: agent names, signed file links, receipts of the other side. */
@Injectable()
export class WidgetMessagesMapper {
  private readonly agentNames = new Map<string, { name: string; at: number }>();

  constructor(
    private readonly attachments: AttachmentsService,
    private readonly agents: AgentsService,
    private readonly chats: ChatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async toDtos(messages: Message[]): Promise<WidgetMessageDto[]> {
    if (!messages.length) return [];
    const ids = messages.map((m) => m.id);
    const [files, receipts, agents] = await Promise.all([
      this.attachments.ofMessages(ids),
      this.chats.receiptsOf(ids),
      this.agentsById(messages.map((m) => m.authorAgentId).filter((a): a is string => !!a)),
    ]);
    return messages.map((m) => {
      const otherSide = m.authorKind === 'contact' ? 'agent' : 'contact';
      const receipt = receipts.find((r) => r.messageId === m.id && r.side === otherSide);
      return Object.assign(new WidgetMessageDto(), {
        id: String(m.id),
        conversationId: m.conversationId,
        authorKind: m.authorKind as AuthorKindEnum,
        agent: m.authorAgentId ? (agents.get(m.authorAgentId) ?? null) : null,
        bodyHtml: m.bodyHtml,
        bodyText: m.bodyText,
        content: m.content ?? null,
        attachments: files
          .filter((a) => a.messageId === m.id)
          .map((a) => ({
            id: a.id,
            filename: a.filename,
            contentType: a.contentType,
            size: a.sizeBytes,
            url: this.fileUrl(a.id),
          })),
        delivered: !!receipt || m.deliveryState === 'delivered' || m.deliveryState === 'read',
        read: !!receipt?.readAt || m.deliveryState === 'read',
        createdAt: m.createdAt,
      });
    });
  }

  /** Names of agents, cached for a minute (every message event of a chat needs them). */
  async agentsById(ids: string[]): Promise<Map<string, WidgetAgentDto>> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => (this.agentNames.get(id)?.at ?? 0) < now - 60_000);
    if (missing.length) {
      for (const a of await this.agents.agentsByIds(missing)) this.agentNames.set(a.id, { name: a.name, at: now });
    }
    const out = new Map<string, WidgetAgentDto>();
    for (const id of ids) {
      const cached = this.agentNames.get(id);
      if (cached) out.set(id, Object.assign(new WidgetAgentDto(), { id, name: cached.name }));
    }
    return out;
  }

  /** A download link for the widget: `<img src>` cannot send a token, so the URL is signed. */
  fileUrl(attachmentId: string, nowMs = Date.now()): string {
    const exp = Math.floor(nowMs / 1000 / DAY) * DAY + 2 * DAY;
    return `/widget/files/${attachmentId}?exp=${exp}&sig=${this.sign(attachmentId, exp)}`;
  }

  verifyFileUrl(attachmentId: string, exp: string, sig: string): boolean {
    const e = Number(exp);
    if (!Number.isSafeInteger(e) || e < Date.now() / 1000) return false;
    return safeEqual(sig, this.sign(attachmentId, e));
  }

  private sign(id: string, exp: number): string {
    return createHmac('sha256', this.config.secrets.app).update(`file:${id}:${exp}`).digest('base64url');
  }
}
