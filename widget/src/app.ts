/** `/widget/app.js`: the panel, the connection and the JavaScript API, started by the loader. */
import * as Q from './api';
import { h } from './dom';
import { t } from './i18n';
import { icons } from './icons';
import { GqlWsClient, type GqlError, type WsLike } from './protocol';
import { tokenKey, type AppApi, type Host, type Locale } from './shared';
import { ConversationStore, type Message } from './store';
import { ruleMatches, type Conversation, type Session } from './state';
import { PANEL_CSS } from './styles';
import { renderLog } from './view-messages';
import { banners, header, home, prechat, type PanelActions } from './view-panel';

const EMOJI = ['😀', '😂', '😊', '😍', '🙏', '👍', '👏', '🎉', '❤️', '🔥', '😢', '😮', '🤔', '👀', '✅', '🙌'];

class WidgetApp implements AppApi {
  private client!: GqlWsClient;
  private session: Session | null = null;
  private readonly stores = new Map<string, ConversationStore>();
  private readonly stops = new Map<string, () => void>();
  private current: string | null = null;
  private view: 'home' | 'conversation' = 'home';
  private open = false;
  private notice: string | null = null;
  private typingName: string | null = null;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private sentTyping = 0;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private prechatDone = false;
  private proactive: string | null = null;
  private uploads: Array<{ id: string; filename: string }> = [];
  private readonly panel: HTMLElement;
  private readonly headEl = h('div');
  private readonly bannerEl = h('div');
  private readonly body = h('div', { class: 'body' });
  private readonly input: HTMLTextAreaElement;
  private readonly composer: HTMLElement;
  private readonly emojis: HTMLElement;
  private readonly sendBtn: HTMLButtonElement;
  private renderQueued = false;

  constructor(private readonly host: Host) {
    host.root.append(h('style', {}, PANEL_CSS));
    this.input = h('textarea', { rows: 1, 'aria-label': '', enterkeyhint: 'send' }) as HTMLTextAreaElement;
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.sendFromComposer();
      }
    });
    this.input.addEventListener('input', () => this.onInput());
    const file = h('input', {
      type: 'file',
      class: 'hidden',
      accept: 'image/*,application/pdf,text/plain',
    }) as HTMLInputElement;
    file.addEventListener(
      'change',
      () => file.files?.[0] && void this.upload(file.files[0]).finally(() => (file.value = '')),
    );
    this.emojis = h(
      'div',
      { class: 'emojis hidden', role: 'group' },
      EMOJI.map((e) => h('button', { type: 'button', 'aria-label': e, onclick: () => this.insert(e) }, e)),
    );
    this.sendBtn = h('button', {
      class: 'sendb',
      type: 'button',
      html: icons.send,
      onclick: () => void this.sendFromComposer(),
    }) as HTMLButtonElement;
    this.composer = h(
      'div',
      { class: 'composer' },
      this.input,
      file,
      h('button', { class: 'ib attach', type: 'button', html: icons.clip, onclick: () => file.click() }),
      h('button', {
        class: 'ib emoji',
        type: 'button',
        html: icons.smile,
        onclick: () => this.emojis.classList.toggle('hidden'),
      }),
      this.sendBtn,
    );
    this.panel = h(
      'div',
      { class: 'panel', role: 'dialog', 'aria-modal': 'false' },
      this.headEl,
      this.bannerEl,
      this.body,
      this.emojis,
      this.composer,
      h('div', { class: 'foot' }),
    );
    this.panel.addEventListener('keydown', (e) => e.key === 'Escape' && this.setOpen(false));
    host.frame.insertBefore(this.panel, host.frame.firstChild);
    this.body.addEventListener('scroll', () => this.maybeAck());
    document.addEventListener('visibilitychange', () => this.maybeAck());
    this.ready = this.connect();
  }

  /** Settles once the connection client exists (the visitor token may have to be fetched first). */
  private ready: Promise<void>;

  private get locale(): Locale {
    return this.host.locale;
  }

  // ---- connection ----

  private async token(): Promise<string> {
    const key = tokenKey(this.host.config.id);
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(key);
    } catch {
      /* storage blocked: a visitor per page load */
    }
    if (stored) return stored;
    const res = await fetch(`${this.host.base}/widget/${this.host.config.id}/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        locale: this.locale,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        referrer: document.referrer || null,
      }),
    });
    if (!res.ok) throw new Error(`visitor ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    try {
      localStorage.setItem(key, token);
    } catch {
      /* ignore */
    }
    return token;
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
        if (code === 4401) {
          // the token is no longer valid (revoked, other server): start as a new visitor
          this.reset();
          return false;
        }
        if (code !== 1000) this.notice = t(this.locale, 'offline');
        this.render();
      },
    });
  }

  private reset(): void {
    try {
      localStorage.removeItem(tokenKey(this.host.config.id));
    } catch {
      /* ignore */
    }
    this.client?.close();
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
    this.stores.clear();
    this.session = null;
    this.current = null;
    this.view = 'home';
    this.ready = this.connect();
  }

  private async loadSession(reconnected: boolean): Promise<void> {
    const first = !this.session;
    const { widgetSession } = await this.client.request<{ widgetSession: Session }>(Q.SESSION);
    this.session = widgetSession;
    if (first) {
      void this.client.request(Q.UPDATE_VISITOR, {
        i: { locale: this.locale, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      });
      void this.client.request(Q.TRACK_PAGE, {
        i: { url: location.href, title: document.title, referrer: document.referrer || null },
      });
      this.scheduleRules();
    }
    for (const c of widgetSession.conversations.slice(0, 5)) this.follow(c.id);
    const active = widgetSession.conversations.find((c) => c.mode === 'live_chat' && c.state !== 'ended');
    if (first && active && this.view === 'home') this.current = active.id;
    if (reconnected) this.host.emit('reconnected');
    this.render();
  }

  /** Loads history once, then follows new messages from the store's cursor (also after reconnecting). */
  private follow(id: string): ConversationStore {
    let store = this.stores.get(id);
    if (store) return store;
    store = new ConversationStore(id);
    this.stores.set(id, store);
    store.onChange(() => this.render());
    const s = store;
    void this.client.request<{ widgetMessages: { messages: Message[] } }>(Q.MESSAGES, { c: id }).then((r) => {
      s.add(r.widgetMessages.messages);
      const stopMessages = this.client.subscribe<{ widgetMessageAdded: { message: Message } }>(
        Q.ON_MESSAGE,
        () => ({ c: id, a: s.cursor ?? null }),
        {
          next: (d) => this.onMessage(s, d.widgetMessageAdded.message),
        },
      );
      const stopSignals = this.client.subscribe<{ widgetSignals: Signal }>(Q.ON_SIGNAL, () => ({ c: id }), {
        next: (d) => this.onSignal(id, d.widgetSignals),
      });
      this.stops.set(id, () => {
        stopMessages();
        stopSignals();
      });
      this.maybeAck();
    });
    return store;
  }

  private onMessage(store: ConversationStore, m: Message): void {
    store.add([m]);
    const meta = this.session?.conversations.find((c) => c.id === store.conversationId);
    if (meta) {
      meta.lastMessage = m;
      meta.lastMessageAt = m.createdAt;
    }
    if (m.authorKind !== 'contact') {
      this.typingName = null;
      if (m.authorKind !== 'system')
        this.host.emit('message', {
          conversationId: m.conversationId,
          text: m.bodyText,
          author: m.agent?.name ?? null,
        });
      if (!this.maybeAck())
        void this.client.request(Q.ACK, { c: m.conversationId, u: m.id, r: false }).catch(() => undefined);
    }
  }

  private onSignal(id: string, s: Signal): void {
    const store = this.stores.get(id);
    if (s.type === 'TYPING' && id === this.current) {
      this.typingName = s.typing ? (s.agent?.name ?? t(this.locale, 'someone')) : null;
      clearTimeout(this.typingTimer);
      if (s.typing) this.typingTimer = setTimeout(() => ((this.typingName = null), this.render()), 8000);
      this.render();
    } else if (s.type === 'RECEIPT' && store && s.upTo) {
      store.receipt('team', s.receipt === 'read' ? 'read' : 'delivered', s.upTo);
    } else if (s.type === 'STATE') {
      const c = this.session?.conversations.find((x) => x.id === id);
      if (c && s.state)
        Object.assign(c, {
          state: s.state,
          queuePosition: s.queuePosition,
          estimatedWaitSeconds: s.estimatedWaitSeconds,
        });
      void this.client.request<{ widgetConversation: Conversation }>(Q.CONVERSATION_Q, { id }).then((r) => {
        const list = this.session?.conversations;
        const i = list?.findIndex((x) => x.id === id) ?? -1;
        if (list && i >= 0) list[i] = r.widgetConversation;
        this.render();
      });
      this.render();
    }
  }

  /** Marks the team's messages read when the visitor can see them; true when it did. */
  private maybeAck(): boolean {
    if (!this.open || this.view !== 'conversation' || !this.current || document.visibilityState !== 'visible')
      return false;
    const store = this.stores.get(this.current);
    const last = store?.lastUnreadFromTeam();
    if (!store || !last) return false;
    store.receipt('visitor', 'read', last.id);
    void this.client.request(Q.ACK, { c: this.current, u: last.id, r: true }).catch(() => undefined);
    this.updateUnread();
    return true;
  }

  private updateUnread(): void {
    let n = 0;
    for (const s of this.stores.values()) n += s.unreadCount();
    this.host.setUnread(n);
  }

  // ---- actions ----

  private async sendFromComposer(): Promise<void> {
    const text = this.input.value.trim();
    if (!text && !this.uploads.length) return;
    const files = this.uploads.splice(0);
    this.input.value = '';
    this.autosize();
    this.emojis.classList.add('hidden');
    await this.send(
      text,
      undefined,
      files.map((f) => f.id),
    );
  }

  private async send(
    text: string,
    content?: Record<string, unknown>,
    attachmentIds: string[] = [],
    retryOf?: string,
  ): Promise<void> {
    const clientId = retryOf ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const conversationId = this.current;
    const store = conversationId ? this.follow(conversationId) : this.draftStore();
    if (!retryOf) {
      store.addPending({
        id: `local:${clientId}`,
        clientId,
        conversationId: conversationId ?? '',
        authorKind: 'contact',
        agent: null,
        bodyHtml: `<p>${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, '<br>')}</p>`,
        bodyText: text,
        content: content ?? null,
        attachments: [],
        delivered: false,
        read: false,
        createdAt: new Date().toISOString(),
      });
    }
    this.stopTyping();
    try {
      const { widgetSendMessage: m } = await this.client.request<{ widgetSendMessage: Message }>(Q.SEND, {
        i: { conversationId, body: text, clientId, attachmentIds, content },
      });
      if (!conversationId) return this.started(store, clientId, m);
      store.confirm(clientId, m);
    } catch (err) {
      const code = (err as { errors?: GqlError[] }).errors?.[0]?.extensions?.code;
      if (code === 'IDENTIFICATION_REQUIRED' || code === 'CHAT_ENDED' || code === 'RATE_LIMITED') {
        this.notice = (err as Error).message;
      }
      store.fail(clientId);
    }
  }

  /** The first message created the conversation: from now on its own store follows it. */
  private async started(_draft: ConversationStore, _clientId: string, m: Message): Promise<void> {
    this.stores.delete('');
    this.current = m.conversationId;
    const store = this.follow(m.conversationId);
    store.add([m]);
    const r = await this.client
      .request<{ widgetConversation: Conversation }>(Q.CONVERSATION_Q, { id: m.conversationId })
      .catch(() => null);
    if (r && this.session && !this.session.conversations.some((c) => c.id === m.conversationId)) {
      this.session.conversations.unshift(r.widgetConversation);
    }
    this.render();
  }

  private draftStore(): ConversationStore {
    let s = this.stores.get('');
    if (!s) {
      s = new ConversationStore(null);
      s.onChange(() => this.render());
      this.stores.set('', s);
    }
    return s;
  }

  private async upload(file: File): Promise<void> {
    const form = new FormData();
    form.append('token', await this.token());
    form.append('file', file);
    const res = await fetch(`${this.host.base}/widget/files`, { method: 'POST', body: form });
    const body = (await res.json()) as { id?: string; filename?: string; error?: { message: string } };
    if (!res.ok || !body.id) {
      this.notice = body.error?.message ?? 'Upload failed';
      return this.render();
    }
    this.uploads.push({ id: body.id, filename: body.filename ?? file.name });
    await this.sendFromComposer();
  }

  private onInput(): void {
    this.autosize();
    if (!this.current) return;
    const now = Date.now();
    if (now - this.sentTyping > 3000) {
      this.sentTyping = now;
      void this.client.request(Q.TYPING, { c: this.current, t: true }).catch(() => undefined);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), 3500);
  }

  private stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (!this.sentTyping || !this.current) return;
    this.sentTyping = 0;
    void this.client.request(Q.TYPING, { c: this.current, t: false }).catch(() => undefined);
  }

  private insert(emoji: string): void {
    const { selectionStart: s, selectionEnd: e, value } = this.input;
    this.input.value = value.slice(0, s) + emoji + value.slice(e);
    this.input.focus();
    this.input.selectionStart = this.input.selectionEnd = s + emoji.length;
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
    this.sendBtn.disabled = !this.input.value.trim();
  }

  private scheduleRules(): void {
    const s = this.session;
    if (!s) return;
    for (const rule of s.proactiveRules) {
      if (!ruleMatches(rule, location.href, s.visitCount, s.identified)) continue;
      const key = `sori:rule:${rule.id}`;
      if (sessionStorage.getItem(key)) continue;
      setTimeout(
        () => {
          if (this.open || s.conversations.length) return;
          sessionStorage.setItem(key, '1');
          this.proactive = rule.message;
          this.current = null;
          this.view = 'conversation';
          this.setOpen(true);
        },
        (rule.minSecondsOnPage ?? 0) * 1000,
      );
      return;
    }
  }

  setOpen(open: boolean): void {
    this.open = open;
    this.host.setOpen(open);
    this.host.emit(open ? 'open' : 'close');
    this.render();
    if (open)
      setTimeout(
        () =>
          (this.view === 'conversation'
            ? this.input
            : (this.panel.querySelector('.primary') as HTMLElement | null)
          )?.focus(),
        30,
      );
    this.maybeAck();
  }

  command(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'open':
        return this.setOpen(true);
      case 'close':
        return this.setOpen(false);
      case 'toggle':
        return this.setOpen(!this.open);
      default:
        return this.ready.then(() => this.run(name, args));
    }
  }

  private run(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'setLocale':
        this.host.setLocale(args[0] === 'ko' ? 'ko' : 'en');
        void this.client.request(Q.UPDATE_VISITOR, { i: { locale: this.locale } }).catch(() => undefined);
        return this.render();
      case 'identify': {
        const jwt = (args[0] as { jwt?: string } | undefined)?.jwt;
        return this.client
          .request(Q.IDENTIFY, { jwt })
          .then(() => this.loadSession(false))
          .then(() => this.host.emit('identified'))
          .catch((err: { errors?: GqlError[] }) => this.host.emit('error', err.errors?.[0] ?? err));
      }
      case 'track':
        return this.client
          .request(Q.TRACK, { i: { name: String(args[0]), properties: args[1] ?? {} } })
          .catch(() => undefined);
      case 'reset':
      case 'logout':
        return this.reset();
      default:
        return undefined;
    }
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

  private actions: PanelActions = {
    close: () => this.setOpen(false),
    home: () => {
      this.view = 'home';
      this.render();
    },
    openConversation: (id) => {
      this.current = id;
      this.view = 'conversation';
      this.proactive = null;
      if (id) this.follow(id);
      this.render();
      setTimeout(() => this.input.focus(), 30);
    },
    saveEmail: (email) =>
      void this.client.request(Q.UPDATE_VISITOR, { i: { email } }).then(() => {
        if (this.session) this.session.email = email;
        this.render();
      }),
    savePrechat: (values) =>
      void this.client.request(Q.UPDATE_VISITOR, { i: values }).then(() => {
        this.prechatDone = true;
        if (this.session && values.email) this.session.email = values.email;
        this.render();
        this.input.focus();
      }),
    transcript: (id, email) => {
      const to = email ?? window.prompt(t(this.locale, 'emailLabel')) ?? '';
      if (!to) return;
      void this.client.request(Q.TRANSCRIPT, { c: id, e: to }).then(() => {
        this.notice = t(this.locale, 'transcriptSent', { email: to });
        this.render();
      });
    },
    endChat: (id) => void this.client.request(Q.END, { c: id }).catch(() => undefined),
  };

  private draw(): void {
    const L = this.locale;
    const s = this.session;
    this.panel.classList.toggle('open', this.open);
    this.host.frame.classList.toggle('open-mobile', this.open);
    this.panel.setAttribute('aria-label', s?.widget.name ?? 'Chat');
    this.panel.setAttribute('aria-hidden', String(!this.open));
    this.input.placeholder = t(L, 'placeholder');
    this.input.setAttribute('aria-label', t(L, 'placeholder'));
    this.sendBtn.setAttribute('aria-label', t(L, 'send'));
    (this.composer.querySelector('.attach') as HTMLElement).setAttribute('aria-label', t(L, 'attach'));
    (this.composer.querySelector('.emoji') as HTMLElement).setAttribute('aria-label', t(L, 'emoji'));
    (this.panel.querySelector('.foot') as HTMLElement).textContent = t(L, 'poweredBy');
    this.updateUnread();
    const inConv = this.view === 'conversation';
    const conv = this.current ? s?.conversations.find((c) => c.id === this.current) : null;
    this.headEl.replaceChildren(header(L, s, conv, inConv, this.actions));
    this.bannerEl.replaceChildren(...(s && inConv ? banners(L, s, conv, this.actions, this.notice) : []));
    const blocked = !!s?.widget.requireIdentified && !s.identified;
    const needsPrechat =
      inConv && !conv && !!s && !s.identified && !this.prechatDone && s.widget.preChatFields.length > 0 && !s.email;
    const ended = conv?.state === 'ended' || (conv?.state === 'closed' && conv.mode === 'live_chat');
    this.composer.classList.toggle('hidden', !inConv || blocked || needsPrechat || !!ended || !s);
    if (!s) return void this.body.replaceChildren(h('div', { class: 'note' }, this.notice ?? '…'));
    if (!inConv)
      return void this.body.replaceChildren(home(L, s, (id) => this.stores.get(id)?.unreadCount() ?? 0, this.actions));
    if (blocked) return void this.body.replaceChildren(h('div', { class: 'note', role: 'status' }, t(L, 'identify')));
    if (needsPrechat) return void this.body.replaceChildren(h('div', { class: 'home' }, prechat(L, s, this.actions)));
    const store = this.stores.get(this.current ?? '') ?? this.stores.get('');
    const messages = store?.list() ?? [];
    const intro: Message[] =
      this.proactive && !messages.length
        ? [
            {
              id: 'proactive',
              conversationId: '',
              authorKind: 'bot',
              agent: null,
              bodyHtml: '',
              bodyText: this.proactive,
              content: null,
              attachments: [],
              delivered: true,
              read: true,
              createdAt: new Date().toISOString(),
            },
          ]
        : [];
    const atBottom = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 60;
    const log = h(
      'div',
      { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t(L, 'messages') },
      renderLog(
        [
          ...intro.map((m) => ({
            ...m,
            bodyHtml: `<p>${m.bodyText.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
          })),
          ...messages,
        ],
        {
          base: this.host.base,
          locale: L,
          teamName: s.widget.name,
          answer: (text, content) => void this.send(text, content),
          retry: (clientId) => {
            const m = store?.pendingMessage(clientId);
            if (m) void this.send(m.bodyText, m.content ?? undefined, [], clientId);
          },
        },
      ),
      this.typingName
        ? h(
            'div',
            { class: 'grp them' },
            h(
              'div',
              { class: 'stack' },
              h(
                'div',
                { class: 'typing', role: 'status', 'aria-label': t(L, 'typing', { name: this.typingName }) },
                h('i'),
                h('i'),
                h('i'),
              ),
            ),
          )
        : null,
    );
    this.body.replaceChildren(log);
    if (atBottom || messages.length < 4) this.body.scrollTop = this.body.scrollHeight;
    this.sendBtn.disabled = !this.input.value.trim();
  }
}

interface Signal {
  type: 'TYPING' | 'RECEIPT' | 'STATE';
  typing: boolean | null;
  agent: { id: string; name: string } | null;
  receipt: 'delivered' | 'read' | null;
  upTo: string | null;
  state: Conversation['state'] | null;
  queuePosition: number | null;
  estimatedWaitSeconds: number | null;
}

(window as Window & { __soriApp?: (host: Host) => AppApi }).__soriApp = (host) => new WidgetApp(host);
