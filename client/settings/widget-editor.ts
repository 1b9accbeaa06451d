/**
 * Settings → Web widget: Copy buttons that announce "Copied", and the live preview — the real
 * widget in an iframe, reloaded with the unsaved appearance fields as the admin edits them. The
 * form works without this script; it only makes the page quicker to use.
 */
import { contrastRatio, onColorFor } from '../../src/channels/widget/appearance';
import { $, $$ } from '../dom';

const PREVIEW_FIELDS = ['color', 'launcherText', 'position', 'greeting', 'greetingKo', 'locale', 'logoUrl'];

export function initWidgetEditor(): void {
  initCopyButtons();
  // the secret came as the answer to a post: reloading must show the editor, not post again
  const canonical = $('[data-canonical]')?.dataset.canonical;
  if (canonical) history.replaceState(null, '', canonical);
  const form = $('[data-widget-form]') as HTMLFormElement | null;
  if (!form) return;
  initCustomFieldOrder(form);
  const frame = $('[data-preview-frame]') as HTMLIFrameElement | null;
  const unsaved = $('[data-unsaved]');
  let timer: number | undefined;
  form.addEventListener('input', (e) => {
    if (unsaved) unsaved.hidden = false;
    const target = e.target as HTMLElement;
    if (target.matches('input[name="color"]')) showContrast((target as HTMLInputElement).value);
    if (!frame || !target.matches('[data-preview]')) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => refreshPreview(form, frame), 250);
  });
  form.addEventListener('change', (e) => {
    if (frame && (e.target as HTMLElement).matches('select[data-preview], input[type="radio"][data-preview]')) {
      window.clearTimeout(timer);
      refreshPreview(form, frame);
    }
  });
}

/**
 * Up/down buttons on the custom pre-chat questions: move the row and renumber the position fields
 * (which the form posts, so ordering also works without script by typing numbers).
 */
function initCustomFieldOrder(form: HTMLFormElement): void {
  const list = $('[data-custom-fields]');
  if (!list) return;
  for (const move of $$('[data-cf-move]', list)) move.hidden = false;
  list.addEventListener('click', (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-cf-up], [data-cf-down]');
    const row = button?.closest('[data-custom-field]');
    if (!button || !row) return;
    const up = button.matches('[data-cf-up]');
    const other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    if (up) other.before(row);
    else other.after(row);
    $$('[data-cf-order]', list).forEach((input, i) => ((input as HTMLInputElement).value = String(i + 1)));
    button.focus();
    form.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Reloads the preview with the form's appearance, keeping the panel open when it was. */
function refreshPreview(form: HTMLFormElement, frame: HTMLIFrameElement): void {
  const data = new FormData(form);
  const query = new URLSearchParams();
  for (const name of PREVIEW_FIELDS) {
    const value = data.get(name);
    query.set(name, typeof value === 'string' ? value : '');
  }
  if (previewIsOpen(frame)) query.set('open', '1');
  frame.src = `${frame.dataset.base}?${query.toString()}`;
}

function previewIsOpen(frame: HTMLIFrameElement): boolean {
  try {
    const root = frame.contentDocument?.querySelector('sori-widget')?.shadowRoot;
    return !!root?.querySelector('.launch[aria-expanded="true"]');
  } catch {
    return false;
  }
}

/** The WCAG AA note under the colour picker, as the server renders it. */
function showContrast(color: string): void {
  const note = $('[data-contrast]');
  const hex = $('[data-color-hex]');
  if (hex) hex.textContent = color;
  if (!note || !/^#[0-9a-f]{6}$/i.test(color)) return;
  const ratio = contrastRatio(color, onColorFor(color).color);
  const passes = ratio >= 4.5;
  const text = (passes ? note.dataset.ok : note.dataset.bad) ?? '';
  note.classList.toggle('contrast--ok', passes);
  note.classList.toggle('contrast--bad', !passes);
  note.textContent = text.replace('{ratio}', ratio.toFixed(2));
}

/** `data-copy="<id>"`: copies that element's value (or text) and says so to screen readers too. */
function initCopyButtons(): void {
  const status = $('[data-copy-status]');
  for (const button of $$('[data-copy]')) {
    button.addEventListener('click', () => {
      const source = document.getElementById(button.dataset.copy ?? '');
      if (!source) return;
      const text =
        source instanceof HTMLTextAreaElement || source instanceof HTMLInputElement ? source.value : source.innerText;
      void copy(text, source).then((ok) => {
        const message = (ok ? status?.dataset.copied : status?.dataset.copyFailed) ?? '';
        if (status) {
          status.textContent = '';
          window.setTimeout(() => (status.textContent = message), 30);
        }
        const label = button.querySelector('span');
        if (!label || !ok) return;
        const before = label.textContent;
        label.textContent = message;
        button.dataset.copied = '1';
        window.setTimeout(() => {
          label.textContent = before;
          delete button.dataset.copied;
        }, 2000);
      });
    });
  }
}

async function copy(text: string, source: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // without clipboard permission: select the text and use the old command
    if (source instanceof HTMLTextAreaElement || source instanceof HTMLInputElement) source.select();
    else window.getSelection()?.selectAllChildren(source);
    return document.execCommand('copy');
  }
}
