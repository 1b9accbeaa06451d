import { $, announce, str } from '../dom';
import { closePicker, gql, insertAt } from './pickers';
import { refreshPanel } from './timeline';

const APPLY = `mutation($t: ID!, $m: ID!) { applyMacro(ticketId: $t, macroId: $m) { text mode ticket { id } } }`;

interface Applied {
  applyMacro: { text: string | null; mode: 'reply' | 'note' | null };
}

/**
 * Applying a macro from the composer's picker without leaving the page: the fields change on
 * the server (the panel and timeline update live) and the text lands at the caret.
 */
export function initMacros(form: HTMLFormElement, body: HTMLTextAreaElement, ticketId: string): void {
  form.addEventListener(
    'submit',
    (e) => {
      const button = e.submitter as HTMLButtonElement | null;
      const macroId = button?.dataset.applyMacro;
      if (!macroId) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      void apply(form, body, ticketId, macroId, button);
    },
    true,
  );
}

async function apply(
  form: HTMLFormElement,
  body: HTMLTextAreaElement,
  ticketId: string,
  macroId: string,
  button: HTMLButtonElement,
): Promise<void> {
  const caret = { start: body.selectionStart, end: body.selectionEnd };
  button.disabled = true;
  try {
    const r = await gql<Applied>(APPLY, { t: ticketId, m: macroId });
    const applied = r.data?.applyMacro;
    if (!applied) {
      announceError(form, r.errors?.[0]?.message ?? str('macroFailed'));
      return;
    }
    closePicker(button);
    if (applied.mode) {
      const radio = form.querySelector<HTMLInputElement>(`input[name=mode][value=${applied.mode}]`);
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    const page = form.closest<HTMLElement>('[data-ticket-page]');
    if (page) void refreshPanel(page, page.dataset.number ?? '');
    if (applied.text) insertAt(body, applied.text, caret.start, caret.end);
    else body.focus();
    announce(str('macroApplied'));
  } finally {
    button.disabled = false;
  }
}

export function announceError(form: HTMLFormElement, message: string): void {
  const status = $('[data-tools-status]', form);
  if (status) status.textContent = message;
  announce(message);
}
