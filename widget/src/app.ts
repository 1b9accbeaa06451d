/** `/widget/app.js`: the panel, the connection and the JavaScript API, started by the loader. */
import * as Q from './api';
import { Chats, type Signal } from './chats';
import { Composer } from './composer';
import { h } from './dom';
import { t } from './i18n';
import { GqlWsClient, type GqlError, type WsLike } from './protocol';
import { forgetToken, timezone, visitorToken } from './connection';
import { type AppApi, type Host, type Locale } from './shared';
import type { Conversation, Session } from './state';
import { ConversationStore, type Message } from './store';
import { PANEL_CSS } from './styles';
import { drawPanel, type PanelParts, type PanelState } from './render';
import { panelActions, runCommand, scheduleRules } from './app-actions';
import type { PanelActions } from './view-panel';
import type { PrechatAnswers } from './view-prechat';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class WidgetApp implements AppApi {
  client!: GqlWsClient;
  private ready: Promise<void>;
  session: Session | null = null;
  readonly chats: Chats;
  private draft: ConversationStore | null = null;
  current: string | null = null;
  view: 'home' | 'conversation' = 'home';
  open = false;
  notice: string | null = null;
  private typingName: string | null = null;
  private typingTimer?: ReturnType<typeof setTimeout>;
  prechatDone = false;
  /** Answers to the custom pre-chat fields, sent with the message that starts the conversation. */
  prechatAnswers: PrechatAnswers | null = null;
  proactive: string | null = null;
  readonly composer: Composer;
  private readonly panel: HTMLElement;
  private readonly headEl = h('div');
  private readonly bannerEl = h('div');
  private readonly body = h('div', { class: 'body' });
  private readonly foot = h('div', { class: 'foot' });
  private renderQueued = false;

  constructor(readonly host: Host) {
    host.root.append(h('style', {}, PANEL_CSS));
    this.chats = new Chats(() => this.client, {
      changed: () => this.render(),
      message: (store, m) => this.onMessage(store, m),
      signal: (id, s) => this.onSignal(id, s),
      visible: (id) =>
        this.open && this.view === 'conversation' && this.current === id && document.visibilityState === 'visible',
    });
    this.composer = new Composer({
      send: (text) => void this.send(text),
      file: (file) => void this.upload(file),
      typing: (on) =>
        this.current && void this.client.request(Q.TYPING, { c: this.current, t: on }).catch(() => undefined),
    });
    this.panel = h(
      'div',
      { class: 'panel', role: 'dialog' },
      this.headEl,
      this.bannerEl,
      this.body,
      this.composer.emojis,
      this.composer.el,
      this.foot,
    );
    this.panel.addEventListener('keydown', (e) => e.key === 'Escape' && this.setOpen(false));
    host.frame.insertBefore(this.panel, host.frame.firstChild);
    this.body.addEventListener('scroll', () => this.chats.ack(this.current));
    document.addEventListener('visibilitychange', () => this.chats.ack(this.current));
    this.ready = this.connect();
  }

  get locale(): Locale {
    return this.host.locale;
  }

  // ---- connection ----

  private token(): Promise<string> {
    return visitorToken(this.host);
  }

  private async connect(): Promise<void> {
    const token = await this.token();
    this.client = new GqlWsClient({
      url: `${this.host.base.replace(/^http/, 'ws')}/graphql`,
      connectionParams: () => ({ visitorToken: token }),
      createSocket: (url) => new WebSocket(url, 'graphql-transport-ws') as unknown as WsLike,
      onConnected: (again) => {
        this.notice = null;
        void this.loadSession(again);
      },
      onClose: (code) => {
        // the token is no longer valid (revoked, another server): start as a new visitor
        if (code === 4401) return this.reset();
        if (code !== 1000) this.notice = t(this.locale, 'offline');
        this.render();
      },
    });
  }

  reset(): false {
    forgetToken(this.host);
    this.client?.close();
    this.chats.clear();
    this.session = null;
    this.current = null;
    this.view = 'home';
    this.ready = this.connect();
    return false;
  }

  async loadSession(reconnected: boolean): Promise<void> {
    const first = !this.session;
    const { widgetSession } = await this.client.request<{ widgetSession: Session }>(Q.SESSION);
    this.session = widgetSession;
    if (this.host.config.preview) {
      const { color, onColor, logoUrl, position, launcherText, greeting, greetingKo, locale } = this.host.config;
      const look = { color, onColor, logoUrl, position, launcherText, greeting, greetingKo, locale };
      Object.assign(widgetSession.widget, look);
    }
    if (first) {
      void this.client
        .request(Q.UPDATE_VISITOR, { i: { locale: this.locale, timezone: timezone() } })
        .catch(() => undefined);
      void this.client.request(Q.TRACK_PAGE, {
        i: { url: location.href, title: document.title, referrer: document.referrer || null },
      });
      scheduleRules(this);
      const active = widgetSession.conversations.find((c) => c.mode === 'live_chat' && c.state !== 'ended');
      if (active && this.view === 'home') this.current = active.id;
    }
    for (const c of widgetSession.conversations.slice(0, 5)) this.chats.follow(c.id);
    if (reconnected) this.host.emit('reconnected');
    this.render();
  }

  private onMessage(store: ConversationStore, m: Message): void {
    const meta = this.session?.conversations.find((c) => c.id === store.conversationId);
    if (meta) Object.assign(meta, { lastMessage: m, lastMessageAt: m.createdAt });
    if (m.authorKind === 'contact') return;
    this.typingName = null;
    if (m.authorKind !== 'system') {
      this.host.emit('message', { conversationId: m.conversationId, text: m.bodyText, author: m.agent?.name ?? null });
    }
  }

  private onSignal(id: string, s: Signal): void {
    if (s.type === 'TYPING' && id === this.current) {
      this.typingName = s.typing ? (s.agent?.name ?? t(this.locale, 'someone')) : null;
      clearTimeout(this.typingTimer);
      if (s.typing) this.typingTimer = setTimeout(() => ((this.typingName = null), this.render()), 8000);
    } else if (s.type === 'RECEIPT' && s.upTo) {
      this.chats.stores.get(id)?.receipt('team', s.receipt === 'read' ? 'read' : 'delivered', s.upTo);
    } else if (s.type === 'STATE') {
      void this.client.request<{ widgetConversation: Conversation }>(Q.CONVERSATION_Q, { id }).then((r) => {
        const list = this.session?.conversations ?? [];
        const i = list.findIndex((x) => x.id === id);
        if (i >= 0) list[i] = r.widgetConversation;
        this.render();
      });
    }
    this.render();
  }

  // ---- sending ----

  private async send(text: string, content?: Record<string, unknown>, attachmentIds: string[] = [], retryOf?: string) {
    const clientId = retryOf ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const conversationId = this.current;
    const store = conversationId ? this.chats.follow(conversationId) : (this.draft ??= this.newDraft());
    if (!retryOf) {
      const bodyHtml = `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
      store.addPending({
        ...{
          id: `local:${clientId}`,
          clientId,
          conversationId: conversationId ?? '',
          authorKind: 'contact',
          agent: null,
        },
        ...{ bodyHtml, bodyText: text, content: content ?? null, attachments: [], delivered: false, read: false },
        createdAt: new Date().toISOString(),
      });
    }
    try {
      const { widgetSendMessage: m } = await this.client.request<{ widgetSendMessage: Message }>(Q.SEND, {
        i: { conversationId, body: text, clientId, attachmentIds, content, ...this.answersFor(conversationId) },
      });
      if (conversationId) return store.confirm(clientId, m);
      this.prechatAnswers = null;
      // custom questions are asked again for the next new conversation
      if (this.session?.widget.preChatFields.some((f) => f.type)) this.prechatDone = false;
      // the first message created the conversation: from now on its own store follows it
      this.draft = null;
      this.current = m.conversationId;
      this.chats.follow(m.conversationId).add([m]);
      const r = await this.client
        .request<{ widgetConversation: Conversation }>(Q.CONVERSATION_Q, { id: m.conversationId })
        .catch(() => null);
      if (r && this.session && !this.session.conversations.some((c) => c.id === m.conversationId)) {
        this.session.conversations.unshift(r.widgetConversation);
      }
      this.render();
    } catch (err) {
      const code = (err as { errors?: GqlError[] }).errors?.[0]?.extensions?.code;
      if (code === 'IDENTIFICATION_REQUIRED' || code === 'CHAT_ENDED' || code === 'RATE_LIMITED')
        this.notice = (err as Error).message;
      const first = (err as { errors?: GqlError[] }).errors?.[0];
      // the admin changed the form meanwhile, or an answer was refused: ask again, saying why
      if (!conversationId && first?.extensions?.field === 'preChatAnswers') {
        this.notice = first.message;
        this.prechatDone = false;
        this.draft = null;
        return this.render();
      }
      store.fail(clientId);
    }
  }

  private answersFor(conversationId: string | null): { preChatAnswers?: PrechatAnswers } {
    return !conversationId && this.prechatAnswers ? { preChatAnswers: this.prechatAnswers } : {};
  }

  private newDraft(): ConversationStore {
    const s = new ConversationStore(null);
    s.onChange(() => this.render());
    return s;
  }

  private async upload(file: File): Promise<void> {
    const form = new FormData();
    form.append('token', await this.token());
    form.append('file', file);
    const res = await fetch(`${this.host.base}/widget/files`, { method: 'POST', body: form });
    const body = (await res.json()) as { id?: string; error?: { message: string } };
    if (!res.ok || !body.id) {
      this.notice = body.error?.message ?? 'Upload failed';
      return this.render();
    }
    await this.send('', undefined, [body.id]);
  }

  // ---- the JavaScript API ----

  setOpen(open: boolean): void {
    this.open = open;
    this.host.setOpen(open);
    this.host.emit(open ? 'open' : 'close');
    this.render();
    if (open)
      setTimeout(
        () =>
          (this.view === 'conversation'
            ? this.composer.input
            : this.panel.querySelector<HTMLElement>('.primary')
          )?.focus(),
        30,
      );
    this.chats.ack(this.current);
  }

  command(name: string, args: unknown[]): unknown {
    if (name === 'open' || name === 'close' || name === 'toggle')
      return this.setOpen(name === 'toggle' ? !this.open : name === 'open');
    return this.ready.then(() => runCommand(this, name, args));
  }

  // ---- rendering ----

  render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.draw();
    });
  }

  readonly actions: PanelActions = panelActions(this);

  private draw(): void {
    drawPanel(this.parts(), this.panelState(), this.actions, {
      base: this.host.base,
      locale: this.locale,
      teamName: this.session?.widget.name ?? '',
      answer: (text, content) => void this.send(text, content),
      retry: (clientId) => {
        const m = (this.current ? this.chats.stores.get(this.current) : this.draft)?.pendingMessage(clientId);
        if (m) void this.send(m.bodyText, m.content ?? undefined, [], clientId);
      },
    });
  }

  private parts(): PanelParts {
    const { host, panel, headEl: head, bannerEl: banner, body, foot, composer } = this;
    return { host, panel, head, banner, body, foot, composer };
  }

  private panelState(): PanelState {
    const store = this.current ? this.chats.stores.get(this.current) : this.draft;
    return {
      locale: this.locale,
      session: this.session,
      open: this.open,
      inConversation: this.view === 'conversation',
      current: this.current,
      notice: this.notice,
      prechatDone: this.prechatDone,
      proactive: this.proactive,
      typingName: this.typingName,
      messages: store?.list() ?? [],
      unread: this.chats.unread(),
      unreadOf: (id) => this.chats.stores.get(id)?.unreadCount() ?? 0,
    };
  }
}

(window as Window & { __soriApp?: (host: Host) => AppApi }).__soriApp = (host) => new WidgetApp(host);
