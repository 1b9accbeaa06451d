import { $, $$, str } from '../dom';

/** Ticket selection for bulk actions: the bar shows its actions once something is selected. */
export function initBulk(): void {
  document.addEventListener('change', (e) => {
    const target = e.target as HTMLInputElement;
    const form = target.closest<HTMLFormElement>('form[data-bulk]');
    if (!form) return;
    if (target.matches('[data-select-all]')) {
      for (const box of $$('[data-select]', form)) (box as HTMLInputElement).checked = target.checked;
    }
    update(form);
  });
  for (const form of $$('form[data-bulk]')) update(form as HTMLFormElement);
}

export function update(form: HTMLFormElement): void {
  const boxes = $$('[data-select]', form) as HTMLInputElement[];
  const selected = boxes.filter((b) => b.checked).length;
  const bar = $('[data-bulk-bar]', form);
  bar?.classList.toggle('is-active', selected > 0);
  const count = $('[data-bulk-count]', form);
  if (count) count.textContent = selected ? str('selected', { count: selected }) : str('selectAll');
  const all = $('[data-select-all]', form) as HTMLInputElement | null;
  if (all) {
    all.checked = selected > 0 && selected === boxes.length;
    all.indeterminate = selected > 0 && selected < boxes.length;
  }
}
