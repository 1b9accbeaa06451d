import { $ } from '../dom';
import { update } from './bulk';

/** After a list swap the bulk form is new: refresh its bar. */
export function initBulkAfterSwap(root: HTMLElement): void {
  const form = $('form[data-bulk]', root) as HTMLFormElement | null;
  if (form) update(form);
}
