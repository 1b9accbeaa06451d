import { avatar, h } from './dom';
import { t } from './i18n';
import { icons } from './icons';
import type { Locale } from './shared';
import type { Conversation, Session } from './state';
import type { PrechatAnswers } from './view-prechat';

export interface PanelActions {
  close(): void;
  home(): void;
  openConversation(id: string | null): void;
  saveEmail(email: string): void;
  savePrechat(values: Record<string, string>, answers: PrechatAnswers): void;
  transcript(id: string, email: string | null): void;
  endChat(id: string): void;
}

export function header(
  locale: Locale,
  session: Session | null,
  conv: Conversation | null | undefined,
  inConversation: boolean,
  a: PanelActions,
): HTMLElement {
  const name = session?.widget.name ?? '';
  const close = h('button', {
    class: 'ib',
    type: 'button',
    'aria-label': t(locale, 'close'),
    html: icons.close,
    onclick: a.close,
  });
  if (!inConversation) {
    return h(
      'div',
      { class: 'head tall' },
      h(
        'div',
        { class: 'row' },
        session?.widget.logoUrl ? h('img', { class: 'logo', src: session.widget.logoUrl, alt: '' }) : null,
        h('div', { class: 'grow' }),
        close,
      ),
      h('h2', {}, (locale === 'ko' && session?.widget.greetingKo) || session?.widget.greeting || t(locale, 'greeting')),
      h('p', {}, t(locale, 'greetingSub')),
    );
  }
  const agents = conv?.agents ?? [];
  const back = h('button', {
    class: 'ib',
    type: 'button',
    'aria-label': t(locale, 'back'),
    html: icons.back,
    onclick: a.home,
  });
  const title = agents.length ? agents.map((x) => x.name).join(', ') : name;
  return h(
    'div',
    { class: 'head' },
    back,
    agents.length
      ? h(
          'div',
          { class: 'avatars' },
          agents.slice(0, 3).map((x) => avatar(x.name, 32)),
        )
      : session?.widget.logoUrl
        ? h('img', { class: 'logo', src: session.widget.logoUrl, alt: '' })
        : avatar(name, 32),
    h('div', { class: 'grow' }, h('h2', {}, title), status(locale, session)),
    conv?.mode === 'live_chat' && (conv.state === 'active' || conv.state === 'waiting')
      ? h('button', { class: 'secondary', type: 'button', onclick: () => a.endChat(conv.id) }, t(locale, 'endChat'))
      : null,
    close,
  );
}

function status(locale: Locale, session: Session | null): HTMLElement {
  const av = session?.availability;
  const text = !av
    ? ''
    : av.online
      ? t(locale, 'online')
      : av.reason === 'OFF_HOURS' && av.backText
        ? t(locale, 'offHours', { when: av.backText })
        : t(locale, 'noAgents');
  return h('div', { class: 'status' }, h('span', { class: `dot${av?.online ? '' : ' off'}` }), text);
}

export function home(locale: Locale, session: Session, unread: (id: string) => number, a: PanelActions): HTMLElement {
  const live = session.widget.mode === 'live_chat';
  const list = session.conversations;
  return h(
    'div',
    { class: 'home' },
    h(
      'div',
      { class: 'card' },
      h('h3', {}, t(locale, live ? 'newChat' : 'newConversation')),
      status(locale, session),
      h(
        'button',
        { class: 'primary', type: 'button', onclick: () => a.openConversation(null), html: icons.send },
        t(locale, live ? 'newChat' : 'newConversation'),
      ),
    ),
    list.length
      ? h(
          'div',
          { class: 'card', role: 'list', 'aria-label': t(locale, 'conversations') },
          h('h3', {}, t(locale, 'conversations')),
          list.map((c) => {
            const last = c.lastMessage;
            const who = last?.authorKind === 'contact' ? `${t(locale, 'you')}: ` : '';
            const n = unread(c.id);
            return h(
              'button',
              {
                class: `conv${n ? ' unread' : ''}`,
                type: 'button',
                role: 'listitem',
                onclick: () => a.openConversation(c.id),
              },
              avatar(last?.agent?.name ?? session.widget.name, 36),
              h(
                'div',
                { class: 'grow' },
                h(
                  'div',
                  { class: 'name' },
                  h('span', {}, last?.agent?.name ?? session.widget.name),
                  h('span', { class: 'time' }, shortTime(c.lastMessageAt ?? c.createdAt, locale)),
                ),
                h('div', { class: 'snippet' }, who + (last?.bodyText ?? '')),
              ),
              h('span', { html: icons.chevron, 'aria-hidden': 'true' }),
            );
          }),
        )
      : null,
  );
}

function shortTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const loc = locale === 'ko' ? 'ko-KR' : 'en-US';
  return d.toDateString() === new Date().toDateString()
    ? d.toLocaleTimeString(loc, { hour: 'numeric', minute: '2-digit' })
    : d.toLocaleDateString(loc, { month: 'short', day: 'numeric' });
}

/** Banners above the messages: queue, chat ended, off hours with the email form, identification needed. */
export function banners(
  locale: Locale,
  session: Session,
  conv: Conversation | null | undefined,
  a: PanelActions,
  notice: string | null,
) {
  const out: HTMLElement[] = [];
  if (notice) out.push(h('div', { class: 'banner', role: 'status' }, notice));
  if (!conv) return out;
  if (conv.state === 'waiting' && conv.queuePosition) {
    const min = Math.round((conv.estimatedWaitSeconds ?? 0) / 60);
    out.push(
      h(
        'div',
        { class: 'banner', role: 'status', 'aria-live': 'polite' },
        h('span', { html: icons.clock }),
        h(
          'div',
          { class: 'grow' },
          h('b', {}, t(locale, 'queue', { n: conv.queuePosition })),
          min >= 1 ? t(locale, 'wait', { min }) : t(locale, 'waitSoon'),
        ),
      ),
    );
  }
  if (conv.state === 'ended') {
    out.push(
      h(
        'div',
        { class: 'banner', role: 'status' },
        h(
          'div',
          { class: 'grow' },
          h('b', {}, t(locale, 'ended')),
          h(
            'div',
            { class: 'chips' },
            h(
              'button',
              {
                class: 'secondary',
                type: 'button',
                html: icons.mail,
                onclick: () => a.transcript(conv.id, session.email),
              },
              t(locale, 'transcript'),
            ),
            h(
              'button',
              { class: 'secondary', type: 'button', onclick: () => a.openConversation(null) },
              t(locale, 'startNew'),
            ),
          ),
        ),
      ),
    );
  }
  if (conv.offline && conv.state !== 'ended') out.push(emailCard(locale, session, a));
  return out;
}

function emailCard(locale: Locale, session: Session, a: PanelActions): HTMLElement {
  if (session.email)
    return h(
      'div',
      { class: 'banner', role: 'status' },
      h('span', { html: icons.mail }),
      t(locale, 'emailSaved', { email: session.email }),
    );
  const input = h('input', {
    class: 'inp',
    type: 'email',
    id: 'sori-email',
    autocomplete: 'email',
    required: true,
    placeholder: 'name@example.com',
  }) as HTMLInputElement;
  const form = h(
    'form',
    { class: 'banner', novalidate: true },
    h(
      'div',
      { class: 'grow' },
      h('label', { class: 'f', for: 'sori-email' }, t(locale, 'leaveEmail')),
      input,
      h('button', { class: 'primary', type: 'submit' }, t(locale, 'save')),
    ),
  ) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.checkValidity()) a.saveEmail(input.value.trim());
    else input.reportValidity();
  });
  return form;
}
