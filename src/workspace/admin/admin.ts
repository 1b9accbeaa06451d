import { AdminRequired, type PageContext, type PageRequest } from '../core/page-context';

export type SettingsTab =
  'agents' | 'groups' | 'fields' | 'forms' | 'tags' | 'macros' | 'canned' | 'email' | 'email-failed';

/** Settings pages are for administrators; the services check again on every change. */
export function adminPage(req: PageRequest): PageContext {
  const page = req.page as PageContext;
  if (!page.isAdmin) throw new AdminRequired();
  return page;
}

export const str = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : '');

export function listOf(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
}
