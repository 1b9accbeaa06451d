import { ValidationError } from '../common/errors/domain-error';

const LOCALE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

/** A display name: NFC (so Korean typed on any system compares equal), trimmed, at most 200 characters. */
export function cleanName(raw: string): string {
  const name = raw
    .normalize('NFC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (name.length > 200) throw new ValidationError('The name can be at most 200 characters.');
  return name;
}

/** A BCP 47 language tag in its usual case (`ko`, `en-US`, `zh-Hant-TW`); null clears it. */
export function cleanLocale(raw: string | null): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (!LOCALE.test(value)) throw new ValidationError(`"${raw}" is not a language tag like ko or en-US.`);
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    throw new ValidationError(`"${raw}" is not a language tag like ko or en-US.`);
  }
}

/** An IANA time zone (`Asia/Seoul`); null clears it. */
export function cleanTimezone(raw: string | null): string | null {
  const value = raw?.trim();
  if (!value) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new ValidationError(`"${raw}" is not a time zone like Asia/Seoul or UTC.`);
  }
}

export function cleanNotes(raw: string): string {
  const notes = raw.normalize('NFC').trim();
  if (notes.length > 10000) throw new ValidationError('Notes can be at most 10,000 characters.');
  return notes;
}

/** Notes of a merged contact, appended to the survivor's. */
export function mergeNotes(target: string, source: string): string {
  if (!source.trim()) return target;
  if (!target.trim()) return source;
  return `${target}\n\n${source}`;
}
