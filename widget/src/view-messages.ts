import { avatar, h } from './dom';
import { t } from './i18n';
import { icons } from './icons';
import type { Locale } from './shared';
import type { Message } from './store';

export interface MessageActions {
  base: string;
  locale: Locale;
  teamName: string;
  /** Visitor answers a quick reply or a form. */
  answer(text: string, content: Record<string, unknown>): void;
  retry(clientId: string): void;
}

const GROUP_GAP_MS = 5 * 60_000;

function timeLabel(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleTimeString(locale === 'ko' ? 'ko-KR' : 'en-US', { hour: 'numeric', minute: '2-digit' });
}

function dayLabel(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  const same = (a: Date, b: Date) => a.toDateString() === b.toDateString();
  const time = timeLabel(iso, locale);
  if (same(d, today)) return `${t(locale, 'today')} ${time}`;
  if (same(d, yesterday)) return `${t(locale, 'yesterday')} ${time}`;
  return d.toLocaleString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

const sameGroup = (a: Message | undefined, b: Message) =>
  !!a &&
  a.authorKind !== 'system' &&
  (a.authorKind === 'contact') === (b.authorKind === 'contact') &&
  (a.agent?.id ?? null) === (b.agent?.id ?? null) &&
  new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() < GROUP_GAP_MS;

/** The conversation as bubbles: grouped by author and time, avatars, separators, ticks, rich content. */
export function renderLog(messages: Message[], a: MessageActions): HTMLElement[] {
  const out: HTMLElement[] = [];
  let group: HTMLElement | null = null;
  let stack: HTMLElement | null = null;
  let prev: Message | undefined;
  const lastContact = [...messages].reverse().find((m) => m.authorKind === 'contact');
  messages.forEach((m, i) => {
    const gap = !prev || new Date(m.createdAt).getTime() - new Date(prev.createdAt).getTime() > GROUP_GAP_MS;
    if (gap) out.push(h('div', { class: 'sep' }, dayLabel(m.createdAt, a.locale)));
    if (m.authorKind === 'system') {
      out.push(h('div', { class: 'sys', role: 'note' }, m.bodyText));
      group = null;
      prev = m;
      return;
    }
    const mine = m.authorKind === 'contact';
    if (!group || !stack || !sameGroup(prev, m) || gap) {
      const name = mine ? t(a.locale, 'you') : (m.agent?.name ?? a.teamName);
      stack = h('div', { class: 'stack' }, mine ? null : h('div', { class: 'who' }, name));
      group = h('div', { class: `grp ${mine ? 'me' : 'them'}` }, mine ? null : avatar(name), stack);
      out.push(group);
    }
    const next = messages[i + 1];
    const lastOfGroup = !sameGroup(m, next ?? ({ createdAt: '9999', authorKind: 'system' } as Message));
    stack.append(...bubble(m, a, lastOfGroup, !lastContact || Number(m.id) > Number(lastContact.id)));
    prev = m;
  });
  return out;
}

/** The whole log: an opening proactive message when there is nothing yet, the messages, who is typing. */
export function conversationLog(
  messages: Message[],
  proactive: string | null,
  typingName: string | null,
  a: MessageActions,
) {
  const intro: Message[] =
    proactive && !messages.length
      ? [
          {
            ...{ id: 'proactive', conversationId: '', authorKind: 'bot', agent: null, content: null, attachments: [] },
            ...{
              bodyHtml: `<p>${proactive.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
              bodyText: proactive,
            },
            ...{ delivered: true, read: true, createdAt: new Date().toISOString() },
          },
        ]
      : [];
  return h(
    'div',
    { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t(a.locale, 'messages') },
    renderLog([...intro, ...messages], a),
    typingName
      ? h(
          'div',
          { class: 'grp them' },
          h(
            'div',
            { class: 'stack' },
            h(
              'div',
              { class: 'typing', role: 'status', 'aria-label': t(a.locale, 'typing', { name: typingName }) },
              h('i'),
              h('i'),
              h('i'),
            ),
          ),
        )
      : null,
  );
}

function bubble(m: Message, a: MessageActions, lastOfGroup: boolean, live: boolean): Node[] {
  const mine = m.authorKind === 'contact';
  const nodes: Node[] = [];
  const hasText = m.bodyText.trim() && !(m.content && m.content.type === 'form_response');
  if (hasText) {
    const b = h('div', {
      class: `bubble${m.status ? ` ${m.status}` : ''}`,
      html: m.bodyHtml,
      role: m.status === 'failed' ? 'button' : null,
      tabindex: m.status === 'failed' ? 0 : null,
      title: m.status === 'failed' ? t(a.locale, 'failed') : null,
      onclick: m.status === 'failed' && m.clientId ? () => a.retry(m.clientId as string) : null,
    });
    for (const link of Array.from(b.querySelectorAll('a'))) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    }
    nodes.push(b);
  }
  for (const f of m.attachments) {
    const url = a.base + f.url;
    nodes.push(
      f.contentType.startsWith('image/')
        ? h(
            'a',
            { href: url, target: '_blank', rel: 'noopener' },
            h('img', { class: 'img', src: url, alt: f.filename }),
          )
        : h('a', { class: 'filechip', href: url, target: '_blank', rel: 'noopener', html: icons.file }, f.filename),
    );
  }
  if (m.content && !mine) nodes.push(...rich(m, a, live));
  if (m.content && mine && m.content.type === 'form_response') {
    const values = (m.content.values ?? {}) as Record<string, string>;
    nodes.push(h('div', { class: 'bubble' }, Object.values(values).join(' · ')));
  }
  if (lastOfGroup || m.status) nodes.push(meta(m, a, mine));
  return nodes;
}

function meta(m: Message, a: MessageActions, mine: boolean): HTMLElement {
  const el = h('div', { class: 'meta' });
  if (m.status === 'pending') el.append(t(a.locale, 'sending'));
  else if (m.status === 'failed') el.append(t(a.locale, 'failed'));
  else el.append(timeLabel(m.createdAt, a.locale));
  if (mine && !m.status && m.id !== '0') {
    const state = m.read ? 'read' : 'delivered';
    el.append(
      h('span', {
        class: `tick ${m.read ? 'read' : ''}`,
        html: m.read || m.delivered ? icons.checks : icons.check,
        role: 'img',
        'aria-label': t(a.locale, state),
        title: t(a.locale, state),
      }),
    );
  }
  return el;
}

function rich(m: Message, a: MessageActions, live: boolean): HTMLElement[] {
  const c = m.content as Record<string, unknown>;
  switch (c.type) {
    case 'quick_replies': {
      if (!live) return [];
      const replies = c.replies as Array<{ label: string; value: string }>;
      return [
        h(
          'div',
          { class: 'chips', role: 'group' },
          replies.map((r) =>
            h(
              'button',
              {
                class: 'chip',
                type: 'button',
                onclick: () => a.answer(r.label, { type: 'quick_reply_answer', value: r.value }),
              },
              r.label,
            ),
          ),
        ),
      ];
    }
    case 'buttons':
      return (c.buttons as Array<{ label: string; url: string }>).map((b) => linkButton(b));
    case 'carousel':
      return [
        h(
          'div',
          { class: 'carousel', role: 'list' },
          (
            c.cards as Array<{
              title: string;
              subtitle: string;
              imageUrl: string | null;
              buttons: Array<{ label: string; url: string }>;
            }>
          ).map((card) =>
            h(
              'div',
              { class: 'ccard', role: 'listitem' },
              card.imageUrl ? h('img', { src: card.imageUrl, alt: '' }) : null,
              h(
                'div',
                { class: 'in' },
                h('b', {}, card.title),
                card.subtitle ? h('span', {}, card.subtitle) : null,
                card.buttons.map(linkButton),
              ),
            ),
          ),
        ),
      ];
    case 'form':
      return live ? [form(m, c, a)] : [];
    default:
      return [];
  }
}

function linkButton(b: { label: string; url: string }): HTMLElement {
  return h(
    'a',
    { class: 'linkbtn', href: b.url, target: '_blank', rel: 'noopener noreferrer', html: icons.link },
    b.label,
  );
}

function form(m: Message, c: Record<string, unknown>, a: MessageActions): HTMLElement {
  const fields = c.fields as Array<{ key: string; label: string; kind: string; required: boolean; options: string[] }>;
  const el = h('form', { class: 'form', novalidate: true }) as HTMLFormElement;
  for (const f of fields) {
    const id = `f-${m.id}-${f.key}`;
    el.append(h('label', { class: 'f', for: id }, f.label + (f.required ? ' *' : '')));
    el.append(
      f.kind === 'select'
        ? h(
            'select',
            { class: 'inp', id, name: f.key, required: f.required },
            f.options.map((o) => h('option', { value: o }, o)),
          )
        : h('input', {
            class: 'inp',
            id,
            name: f.key,
            required: f.required,
            type: f.kind === 'number' ? 'number' : f.kind === 'email' ? 'email' : 'text',
          }),
    );
  }
  el.append(
    h('button', { class: 'primary', type: 'submit' }, typeof c.submitLabel === 'string' ? c.submitLabel : 'Send'),
  );
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!el.reportValidity()) return;
    const values: Record<string, string> = {};
    for (const f of fields) values[f.key] = String((el.elements.namedItem(f.key) as HTMLInputElement).value);
    a.answer(Object.values(values).join(' · '), { type: 'form_response', replyTo: m.id, values });
  });
  return el;
}
