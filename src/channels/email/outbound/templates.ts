import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { viewsDir } from '../../../common/paths';

export type EmailLocale = 'en' | 'ko';
export type TemplateName =
  'agent-reply' | 'ack' | 'attachment-rejected' | 'notify-assigned' | 'notify-mentioned' | 'notify-customer-replied';

export interface Brand {
  name: string;
  color: string;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

const dir = join(viewsDir, 'email');
const hbs = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate | null>();

function template(file: string): HandlebarsTemplateDelegate | null {
  if (!cache.has(file)) {
    const path = join(dir, file);
    cache.set(file, existsSync(path) ? hbs.compile(readFileSync(path, 'utf8'), { strict: false }) : null);
  }
  return cache.get(file) ?? null;
}

function required(file: string): HandlebarsTemplateDelegate {
  const t = template(file);
  if (!t) throw new Error(`email template views/email/${file} is missing`);
  return t;
}

/** The mail language for a contact locale (`ko`, `ko-KR`, `en-US`…), else the mailbox's. */
export function emailLocale(contactLocale: string | null | undefined, fallback: string): EmailLocale {
  const lang = (contactLocale ?? '').slice(0, 2).toLowerCase();
  if (lang === 'ko' || lang === 'en') return lang;
  return fallback === 'ko' ? 'ko' : 'en';
}

/**
 * Renders a mail from `views/email/<locale>/<name>.{subject,html,text}.hbs` inside the branded
 * layouts. HTML parts escape every value unless the template says otherwise ({{{ }}} for
 * sanitised message HTML only); text parts are plain.
 */
export function renderEmail(
  name: TemplateName,
  locale: EmailLocale,
  data: Record<string, unknown>,
  brand: Brand,
  fallbackSubject = '',
): Rendered {
  const brandData = { ...brand, initial: ([...brand.name.trim()][0] ?? 'S').toUpperCase() };
  const context = { ...data, brandColor: brand.color, locale };
  const subjectTemplate = template(`${locale}/${name}.subject.hbs`);
  const subject = subjectTemplate ? subjectTemplate(context).trim() : fallbackSubject;
  const html = required('layout.html.hbs')({
    content: required(`${locale}/${name}.html.hbs`)(context),
    brand: brandData,
    subject,
    locale,
    footer: data.footer,
  });
  const text = required('layout.text.hbs')({
    content: required(`${locale}/${name}.text.hbs`)(context).trim(),
    footer: data.footer,
  });
  return { subject, html, text: text.replace(/\n{3,}/g, '\n\n').trim() + '\n' };
}

/** The subject line of a template (the mail's subject is fixed when it is queued). */
export function renderSubject(name: TemplateName, locale: EmailLocale, data: Record<string, unknown>): string {
  return (template(`${locale}/${name}.subject.hbs`)?.(data) ?? '').replace(/\s+/g, ' ').trim();
}

/** Korean when the text is mostly Hangul (a new customer's language, before we know their locale). */
export function guessLocale(text: string, fallback: EmailLocale): EmailLocale {
  const sample = text.slice(0, 2000);
  const hangul = sample.match(/[\uac00-\ud7a3]/g)?.length ?? 0;
  const latin = sample.match(/[a-z]/gi)?.length ?? 0;
  if (hangul >= 2 && hangul * 2 >= latin / 3) return 'ko';
  return hangul === 0 && latin > 20 ? 'en' : fallback;
}

/** Sizes for people: 50.3 MB, 812 KB. */
export function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
