import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../../common/jobs/jobs.service';
import { logger } from '../../common/logging/logger';
import { MailService } from '../../common/mail/mail.service';
import { ConversationsService } from '../../conversations/conversations.service';
import { MessagesService, type WrittenMessage } from '../../conversations/messages.service';
import { ChatsRepository } from './chats.repository';
import { LiveChatService } from './live-chat.service';
import { VisitorsRepository } from './visitors.repository';
import { WidgetMessagesMapper } from './widget-messages.mapper';
import { WidgetsRepository } from './widgets.repository';

const UNREAD_QUEUE = 'widget-unread-email';
const INACTIVITY_QUEUE = 'widget-chat-inactivity';

interface UnreadJob {
  conversationId: string;
  messageId: number;
}
interface InactivityJob {
  conversationId: string;
}

const log = logger('widget');

/**
 * What happens later: agent replies the visitor has not read after the widget's delay are
 * emailed (when an email is known), and quiet live chats end. Both run as pg-boss jobs; with
 * job workers off (JOBS_ENABLED=0) this process keeps a timer instead.
 */
@Injectable()
export class FollowUpService implements OnModuleInit, OnApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly jobs: JobsService,
    private readonly messages: MessagesService,
    private readonly chats: ChatsRepository,
    private readonly widgets: WidgetsRepository,
    private readonly visitors: VisitorsRepository,
    private readonly conversations: ConversationsService,
    private readonly liveChat: LiveChatService,
    private readonly mail: MailService,
    private readonly mapper: WidgetMessagesMapper,
  ) {}

  onModuleInit(): void {
    this.jobs.register<UnreadJob>(UNREAD_QUEUE, (job) => this.emailUnread(job));
    this.jobs.register<InactivityJob>(INACTIVITY_QUEUE, (job) => this.endIfInactive(job));
    this.messages.onWritten((written) => void this.observe(written));
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async observe(written: WrittenMessage): Promise<void> {
    const c = written.conversation;
    if (c.channelKind !== 'widget') return;
    try {
      const wc = await this.chats.find(c.id);
      const widget = wc && (await this.widgets.findWidget(wc.widgetId));
      if (!wc || !widget) return;
      await this.chats.touch(c.id);
      const author = written.message.authorKind;
      if (author === 'agent' || author === 'bot') {
        const job: UnreadJob = { conversationId: c.id, messageId: written.message.id };
        await this.schedule(UNREAD_QUEUE, job, widget.unreadEmailDelaySeconds + 1, () => this.emailUnread(job));
      }
      if (c.mode === 'live_chat' && (c.state === 'waiting' || c.state === 'active')) {
        const job: InactivityJob = { conversationId: c.id };
        await this.schedule(INACTIVITY_QUEUE, job, widget.inactivityMinutes * 60 + 1, () => this.endIfInactive(job));
      }
    } catch (err) {
      log.warn({ err: (err as Error).message, conversationId: c.id }, 'could not schedule widget follow-ups');
    }
  }

  private async schedule(queue: string, data: object, delaySeconds: number, run: () => Promise<void>) {
    if (this.jobs.started) {
      await this.jobs.send(queue, data, { startAfterSeconds: delaySeconds });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run().catch((err: Error) => log.warn({ err: err.message, queue }, 'widget follow-up failed'));
    }, delaySeconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }

  /** Emails the replies up to the job's message that are still unread; each reply is emailed once. */
  async emailUnread(job: UnreadJob): Promise<void> {
    const wc = await this.chats.find(job.conversationId);
    const widget = wc && (await this.widgets.findWidget(wc.widgetId));
    const visitor = wc && (await this.visitors.findVisitor(wc.visitorId));
    const email = visitor?.email;
    if (!wc || !widget || !email) return;
    const replies = await this.chats.claimUnreadReplies(
      job.conversationId,
      job.messageId,
      widget.unreadEmailDelaySeconds,
    );
    if (!replies.length) return;
    const agents = await this.mapper.agentsById(replies.map((r) => r.authorAgentId).filter((a): a is string => !!a));
    const ko = visitor.locale === 'ko';
    const lines = replies.map((r) => `${agents.get(r.authorAgentId ?? '')?.name ?? widget.name}:\n${r.bodyText}`);
    await this.mail.send({
      to: email,
      subject: ko ? `${widget.name}에서 답장이 왔습니다` : `New reply from ${widget.name}`,
      text: `${lines.join('\n\n')}\n\n${ko ? '웹사이트의 채팅 창에서 이어서 대화하거나 이 메일에 답장하세요.' : 'Continue in the chat on the website, or reply to this email.'}`,
      purpose: 'widget_unread_reply',
    });
    log.info({ conversationId: job.conversationId, replies: replies.length }, 'unread widget replies emailed');
  }

  async endIfInactive(job: InactivityJob): Promise<void> {
    const wc = await this.chats.find(job.conversationId);
    const widget = wc && (await this.widgets.findWidget(wc.widgetId));
    if (!wc || !widget) return;
    const quietFor = Date.now() - wc.lastActivityAt.getTime();
    if (quietFor < widget.inactivityMinutes * 60_000) return;
    const c = await this.conversations.findUnchecked(job.conversationId);
    if (c && (c.state === 'waiting' || c.state === 'active')) await this.liveChat.end(c.id, 'inactivity');
  }

  /** Emails the whole conversation to an address (the visitor asked, or an agent sent it). */
  async emailTranscript(conversationId: string, to: string, locale: 'en' | 'ko'): Promise<void> {
    const wc = await this.chats.find(conversationId);
    const widget = wc && (await this.widgets.findWidget(wc.widgetId));
    const messages = await this.conversations.messagesAfterUnchecked(conversationId, 0, 1000);
    const agents = await this.mapper.agentsById(messages.map((m) => m.authorAgentId).filter((a): a is string => !!a));
    const you = locale === 'ko' ? '나' : 'You';
    const lines = messages.map((m) => {
      const who =
        m.authorKind === 'contact'
          ? you
          : m.authorKind === 'system'
            ? '—'
            : (agents.get(m.authorAgentId ?? '')?.name ?? widget?.name ?? 'Team');
      return `[${m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC] ${who}: ${m.bodyText}`;
    });
    await this.mail.send({
      to,
      subject: locale === 'ko' ? `${widget?.name ?? 'Sori'} 채팅 기록` : `Your chat with ${widget?.name ?? 'us'}`,
      text: lines.join('\n'),
      purpose: 'widget_transcript',
    });
  }
}
