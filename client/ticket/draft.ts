import { $, str } from '../dom';

interface Draft {
  mode: string;
  body: string;
  via?: string;
  at: number;
}

const WEEK = 7 * 86400_000;

/**
 * Draft autosave to localStorage, per ticket: restored when the agent comes back, dropped once
 * the message was sent (the next page load shows no error and an empty composer).
 */
export function initDraft(form: HTMLFormElement, body: HTMLTextAreaElement, ticketId: string) {
  const key = `sori:draft:${ticketId}`;
  const sentKey = `sori:sent:${ticketId}`;
  const state = $('[data-draft-state]', form);
  const via = form.querySelector<HTMLSelectElement>('[data-via]');
  const failed = !!document.querySelector('[data-flash="error"], [data-collision-server]');

  if (sessionStorage.getItem(sentKey)) {
    sessionStorage.removeItem(sentKey);
    if (!failed) localStorage.removeItem(key);
  }
  const saved = read(key);
  if (saved && !body.value.trim()) {
    body.value = saved.body;
    const radio = form.querySelector<HTMLInputElement>(
      `input[name=mode][value="${saved.mode === 'note' ? 'note' : 'reply'}"]`,
    );
    if (radio) radio.checked = true;
    radio?.dispatchEvent(new Event('change'));
    if (via && saved.via && [...via.options].some((o) => o.value === saved.via)) via.value = saved.via;
    if (state) state.textContent = str('draftRestored');
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const mode = form.querySelector<HTMLInputElement>('input[name=mode]:checked')?.value ?? 'reply';
      if (body.value.trim()) {
        localStorage.setItem(key, JSON.stringify({ mode, body: body.value, via: via?.value, at: Date.now() }));
        if (state) state.textContent = str('draftSaved');
      } else {
        localStorage.removeItem(key);
        if (state) state.textContent = '';
      }
    }, 400);
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  return {
    submitted() {
      clearTimeout(timer);
      const mode = form.querySelector<HTMLInputElement>('input[name=mode]:checked')?.value ?? 'reply';
      localStorage.setItem(key, JSON.stringify({ mode, body: body.value, via: via?.value, at: Date.now() }));
      sessionStorage.setItem(sentKey, '1');
    },
  };
}

function read(key: string): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(key) ?? 'null') as Draft | null;
    if (!d || typeof d.body !== 'string' || Date.now() - d.at > WEEK) return null;
    return d;
  } catch {
    return null;
  }
}
