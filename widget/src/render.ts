import type { Composer } from './composer';
import { h } from './dom';
import { t } from './i18n';
import type { Host, Locale } from './shared';
import type { Session } from './state';
import type { Message } from './store';
import { conversationLog, type MessageActions } from './view-messages';
import { banners, header, home, type PanelActions } from './view-panel';
import { prechatFields, prechatForm } from './view-prechat';

export interface PanelParts {
  host: Host;
  panel: HTMLElement;
  head: HTMLElement;
  banner: HTMLElement;
  body: HTMLElement;
  foot: HTMLElement;
  composer: Composer;
}

export interface PanelState {
  locale: Locale;
  session: Session | null;
  open: boolean;
  inConversation: boolean;
  current: string | null;
  notice: string | null;
  prechatDone: boolean;
  proactive: string | null;
  typingName: string | null;
  messages: Message[];
  unread: number;
  unreadOf(id: string): number;
}

/** Draws the panel for the current state; the composer element is kept (focus and text stay). */
export function drawPanel(p: PanelParts, st: PanelState, actions: PanelActions, messageActions: MessageActions): void {
  const L = st.locale;
  const s = st.session;
  p.panel.classList.toggle('open', st.open);
  p.host.frame.classList.toggle('open-mobile', st.open);
  p.panel.setAttribute('aria-label', s?.widget.name ?? 'Chat');
  p.panel.setAttribute('aria-hidden', String(!st.open));
  p.composer.label(L);
  p.foot.textContent = t(L, 'poweredBy');
  p.host.setUnread(st.unread);
  const inConv = st.inConversation;
  const conv = st.current ? s?.conversations.find((c) => c.id === st.current) : null;
  p.head.replaceChildren(header(L, s, conv, inConv, actions));
  p.banner.replaceChildren(...(s && inConv ? banners(L, s, conv, actions, st.notice) : []));
  const blocked = !!s?.widget.requireIdentified && !s.identified;
  const needsPrechat = inConv && !conv && !!s && !st.prechatDone && prechatFields(s).length > 0;
  const ended = conv?.mode === 'live_chat' && (conv.state === 'ended' || conv.state === 'closed');
  p.composer.show(inConv && !!s && !blocked && !needsPrechat && !ended);
  if (!s) return void p.body.replaceChildren(h('div', { class: 'note' }, st.notice ?? '…'));
  if (!inConv) return void p.body.replaceChildren(home(L, s, st.unreadOf, actions));
  if (blocked) return void p.body.replaceChildren(h('div', { class: 'note', role: 'status' }, t(L, 'identify')));
  if (needsPrechat)
    return void p.body.replaceChildren(h('div', { class: 'home' }, prechatForm(L, s, actions.savePrechat)));
  const atBottom = p.body.scrollHeight - p.body.scrollTop - p.body.clientHeight < 60;
  p.body.replaceChildren(conversationLog(st.messages, st.proactive, st.typingName, messageActions));
  if (atBottom || st.messages.length < 4) p.body.scrollTop = p.body.scrollHeight;
}
