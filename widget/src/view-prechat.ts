import { h } from './dom';
import { t, type Key } from './i18n';
import type { Locale } from './shared';
import type { PreChatField, Session } from './state';

export type PrechatAnswers = Record<string, string | number | boolean>;

const BUILT_IN: Record<string, Key> = { name: 'nameLabel', email: 'emailLabel', phone: 'phoneLabel' };
const isCustom = (f: PreChatField) => f.key.startsWith('custom:');

/** The fields the form asks now: custom questions every new conversation; name/email/phone until known. */
export function prechatFields(s: Session): PreChatField[] {
  const knowsVisitor = s.identified || !!s.email;
  return s.widget.preChatFields.filter((f) => isCustom(f) || !knowsVisitor);
}

function labelOf(locale: Locale, f: PreChatField): string {
  if (locale === 'ko' && f.labelKo) return f.labelKo;
  return f.label || t(locale, BUILT_IN[f.key] ?? 'required');
}

function control(f: PreChatField, id: string, locale: Locale): HTMLInputElement | HTMLSelectElement {
  const common = { id, name: f.key, required: f.required, 'aria-describedby': `${id}-e` };
  if (f.type === 'select') {
    const placeholder = h('option', { value: '' }, t(locale, 'choose'));
    return h(
      'select',
      { class: 'inp', ...common },
      placeholder,
      ...f.options.map((o) => h('option', { value: o }, o)),
    ) as HTMLSelectElement;
  }
  if (f.type === 'checkbox') return h('input', { type: 'checkbox', ...common }) as HTMLInputElement;
  if (f.type === 'number')
    return h('input', {
      class: 'inp',
      type: 'number',
      step: 'any',
      inputmode: 'decimal',
      ...common,
    }) as HTMLInputElement;
  const builtIn: Record<string, Record<string, string>> = {
    name: { type: 'text', autocomplete: 'name' },
    email: { type: 'email', autocomplete: 'email' },
    // phones become contact identities, which need the country code
    phone: {
      type: 'tel',
      autocomplete: 'tel',
      pattern: '(\\+|00)[0-9 \\(\\)\\-\\.]{6,24}',
      placeholder: '+82 10-1234-5678',
    },
  };
  return h('input', {
    class: 'inp',
    maxlength: 500,
    ...(builtIn[f.key] ?? { type: 'text' }),
    ...common,
  }) as HTMLInputElement;
}

/** What is wrong with one field, in the visitor's language, or null. */
function problem(locale: Locale, el: HTMLInputElement | HTMLSelectElement): string | null {
  const v = el.validity;
  if (v.valid) return null;
  if (v.valueMissing)
    return t(locale, el.type === 'checkbox' ? 'mustTick' : el.tagName === 'SELECT' ? 'pickOne' : 'fillIn');
  if (el.type === 'email') return t(locale, 'badEmail');
  if (el.type === 'tel') return t(locale, 'badPhone');
  if (el.type === 'number') return t(locale, 'badNumber');
  return el.validationMessage;
}

/**
 * Pre-chat form before the first message: labelled inputs (select, checkbox, number, text), required
 * marks, and errors shown under each field and announced, the first invalid field focused.
 */
export function prechatForm(
  locale: Locale,
  session: Session,
  save: (values: Record<string, string>, answers: PrechatAnswers) => void,
): HTMLElement {
  const fields = prechatFields(session);
  const form = h('form', { class: 'card', novalidate: true }, h('h3', {}, t(locale, 'prechat'))) as HTMLFormElement;
  const controls = new Map<PreChatField, HTMLInputElement | HTMLSelectElement>();
  for (const f of fields) {
    const id = `sori-pc-${f.key.replace(':', '-')}`;
    const el = control(f, id, locale);
    controls.set(f, el);
    const mark = f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null;
    const error = h('p', { class: 'ferr', id: `${id}-e` });
    const label = h('label', { class: f.type === 'checkbox' ? 'chk' : 'f', for: id }, labelOf(locale, f), mark);
    form.append(
      f.type === 'checkbox'
        ? h('div', { class: 'fld' }, h('div', { class: 'chkrow' }, el, label), error)
        : h('div', { class: 'fld' }, label, el, error),
    );
  }
  form.append(h('button', { class: 'primary', type: 'submit' }, t(locale, 'start')));
  // an error goes as soon as its field is put right, not only on the next try
  const recheck = (e: Event) => {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (el.getAttribute('aria-invalid') !== 'true' || problem(locale, el)) return;
    el.setAttribute('aria-invalid', 'false');
    (form.querySelector(`#${el.id}-e`) as HTMLElement).textContent = '';
  };
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let first: HTMLElement | null = null;
    for (const el of controls.values()) {
      const message = problem(locale, el);
      el.setAttribute('aria-invalid', String(!!message));
      (form.querySelector(`#${el.id}-e`) as HTMLElement).textContent = message ?? '';
      first ??= message ? el : null;
    }
    if (first) return first.focus();
    const values: Record<string, string> = {};
    const answers: PrechatAnswers = {};
    for (const [f, el] of controls) {
      const value = el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value.trim();
      if (value === '' || value === false) continue; // optional fields left empty are not sent
      if (!isCustom(f)) values[f.key] = String(value);
      else answers[f.key] = f.type === 'number' ? Number(value) : value;
    }
    save(values, answers);
  });
  return form;
}
