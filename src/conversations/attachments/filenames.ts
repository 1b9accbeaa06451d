/** Filenames from clients and emails: kept readable (Korean too), never trusted. */

// C0/C1 controls, and bidi overrides that make "exe.txt" display as "txt.exe"
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_LENGTH = 200;

/** A display name: last path segment, NFC, no control or bidi characters, at most 200 characters. */
export function sanitizeFilename(raw: string | undefined | null): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  let name = base.normalize('NFC').replace(UNSAFE, '').trim().replace(/^\.+/, '');
  if (!name) return 'file';
  if ([...name].length > MAX_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - ext.length)].slice(0, MAX_LENGTH - ext.length).join('') + ext;
  }
  return name;
}

/**
 * `Content-Disposition` with an ASCII fallback and the exact name in RFC 5987 form
 * (`filename*=UTF-8''…`), which every current browser prefers.
 */
export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_') || 'file';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
