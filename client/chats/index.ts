import { $, $$, clientConfig, fetchJson, fetchPartial, fragment, post } from '../dom';
import { debounce, gql, subscribe } from '../live';
import { initTimelineLive, scrollToLatest } from '../ticket/timeline';
import { alertAgent, initNotifyButton } from './alerts';

const EVENTS = `subscription { myLiveChatEvents { type conversationId authorKind } }`;
const PRESENCE = `subscription { agentPresenceChanged { agentId } }`;
const SIGNALS = `subscription($c: ID!) { conversationSignals(conversationId: $c) { type typing authorKind state } }`;

interface ChatEvent {
  type: 'OFFER' | 'CHAT' | 'MESSAGE';
  conversationId: string;
  authorKind: string | null;
}
interface Summary {
  attention: number;
  badge: string;
  offers: number;
  line: string;
}

let offers = -1;
/** A form is navigating away (accept, end, transfer): a reload must not race it. */
let leaving = false;
document.addEventListener('submit', (e) => {
  if (!e.defaultPrevented) leaving = true;
});

/** On every workspace page: the rail badge, the load line, alerts; the subscription also keeps the agent present. */
export function initChats(): void {
  if (!$('[data-chats-link]')) return;
  const refresh = debounce(() => void summary(), 200);
  void summary();
  subscribe<{ myLiveChatEvents: ChatEvent }>(
    EVENTS,
    {},
    (d) => onEvent(d.myLiveChatEvents, refresh),
    () => null,
  );
  const me = clientConfig().agentId;
  subscribe<{ agentPresenceChanged: { agentId: string } }>(
    PRESENCE,
    {},
    (d) => d.agentPresenceChanged.agentId === me && refresh(),
    () => null,
  );
  initChatPage();
}

function onEvent(e: ChatEvent, refresh: () => void): void {
  refresh();
  if (e.type === 'MESSAGE' && e.authorKind === 'contact') {
    const open = $('[data-chat-open]')?.dataset.conversationId === e.conversationId;
    if (!open || document.visibilityState === 'hidden') alertAgent('message');
  }
  if ($('[data-chats-page]')) void refreshList(e);
}

async function summary(): Promise<void> {
  const s = await fetchJson<Summary>('/app/chats/summary');
  if (!s) return;
  const badge = $('[data-chats-badge]');
  if (badge) {
    badge.hidden = s.attention === 0;
    badge.textContent = String(s.attention);
    badge.setAttribute('aria-label', s.badge);
  }
  for (const el of $$('[data-load-line]')) el.textContent = s.line;
  if (offers >= 0 && s.offers > offers) alertAgent('chat');
  offers = s.offers;
}

/** Swaps the list (same template); the open chat reloads when it was ended or transferred elsewhere. */
async function refreshList(e: ChatEvent): Promise<void> {
  const open = $('[data-chat-open]');
  if (e.type === 'CHAT' && open?.dataset.conversationId === e.conversationId) {
    const draft = ($('#chat-body') as HTMLTextAreaElement | null)?.value;
    if (leaving) return;
    if (!draft) return location.reload();
  }
  const html = await fetchPartial(location.pathname + location.search);
  const next = html ? fragment(html).querySelector('[data-chat-list]') : null;
  const list = $('[data-chat-list]');
  if (next && list) list.replaceWith(next);
}

function initChatPage(): void {
  if (!$('[data-chats-page]')) return;
  initNotifyButton();
  const chat = $('[data-chat-open]');
  if (!chat) return;
  scrollToLatest(false);
  initTimelineLive(chat, chat.dataset.ticketId ?? '', chat.dataset.number ?? '', null);
  const id = chat.dataset.conversationId ?? '';
  const typing = $('[data-typing]');
  // a visitor who closes the tab never says "stopped typing": the line fades after a few seconds
  const clearTyping = debounce(() => typing && (typing.textContent = ''), 6000);
  subscribe<{ conversationSignals: { type: string; typing: boolean | null; authorKind: string | null } }>(
    SIGNALS,
    { c: id },
    (d) => {
      const s = d.conversationSignals;
      if (typing && s.type === 'TYPING' && s.authorKind === 'contact') {
        typing.textContent = s.typing ? (typing.dataset.typingText ?? '') : '';
        if (s.typing) clearTyping();
      }
    },
    () => null,
  );
  const form = $('[data-chat-composer]') as HTMLFormElement | null;
  const body = $('#chat-body') as HTMLTextAreaElement | null;
  if (!form || !body) return;
  const send = async () => {
    if (!body.value.trim()) return;
    const res = await post(form.action, { body: body.value });
    if (res.ok) body.value = '';
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send();
  });
  body.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      void send();
    }
  });
  let typingSent = false;
  const stopTyping = debounce(() => {
    typingSent = false;
    void gql(`mutation($c: ID!) { chatTyping(conversationId: $c, typing: false) }`, { c: id });
  }, 3000);
  body.addEventListener('input', () => {
    if (!typingSent) void gql(`mutation($c: ID!) { chatTyping(conversationId: $c, typing: true) }`, { c: id });
    typingSent = true;
    stopTyping();
  });
}
