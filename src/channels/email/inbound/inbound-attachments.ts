import { DomainError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-codes';
import type { AttachmentsService } from '../../../conversations/attachments/attachments.service';
import { MAX_ATTACHMENTS } from '../../../conversations/message-body';
import type { RejectedAttachment } from '../entities';
import type { ParsedAttachment } from './parse';

export interface StoredAttachments {
  ids: string[];
  /** Content-ID (lower-cased) → attachment id, for rewriting `cid:` links. */
  byCid: Map<string, string>;
  rejected: RejectedAttachment[];
}

// parts of reports and signatures that are not files anyone wants to open
const NOT_FILES = new Set([
  'message/delivery-status',
  'message/disposition-notification',
  'text/rfc822-headers',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'application/pgp-signature',
]);

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'text/calendar': 'ics',
  'message/rfc822': 'eml',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

function nameOf(a: ParsedAttachment, n: number): string {
  if (a.filename.trim()) return a.filename;
  const ext = EXTENSIONS[a.contentType] ?? 'bin';
  const base = a.contentType === 'message/rfc822' ? 'message' : a.inline ? 'image' : 'attachment';
  return `${base}-${n}.${ext}`;
}

function reasonOf(err: unknown): RejectedAttachment['reason'] | null {
  if (!(err instanceof DomainError)) return null;
  if (err.code === ErrorCode.PAYLOAD_TOO_LARGE) return 'too_large';
  if (err.code === ErrorCode.UNSUPPORTED_MEDIA_TYPE) return 'unsupported_type';
  if (err.code === ErrorCode.VALIDATION_FAILED) return 'empty';
  return null;
}

/**
 * Stores the files of a received mail through the attachments storage (checked like uploads:
 * size limit, type by content). Files refused are listed with the reason instead; the raw mail
 * still has them. Disk or database errors propagate (the job retries).
 */
export async function storeInboundAttachments(
  files: ParsedAttachment[],
  storage: AttachmentsService,
): Promise<StoredAttachments> {
  const result: StoredAttachments = { ids: [], byCid: new Map(), rejected: [] };
  let n = 0;
  for (const a of files) {
    if (NOT_FILES.has(a.contentType)) continue;
    const filename = nameOf(a, ++n);
    const rejected = { filename, contentType: a.contentType, size: a.size };
    if (result.ids.length >= MAX_ATTACHMENTS) {
      result.rejected.push({ ...rejected, reason: 'too_many' });
      continue;
    }
    try {
      const stored = await storage.storeBuffer(a.content, filename, a.contentType);
      result.ids.push(stored.id);
      if (a.cid) result.byCid.set(a.cid.toLowerCase(), stored.id);
    } catch (err) {
      const reason = reasonOf(err);
      if (!reason) throw err;
      result.rejected.push({ ...rejected, reason });
    }
  }
  return result;
}

/** Points `cid:` images at the stored files (`/files/<id>`); unknown ones are left alone. */
export function rewriteCidLinks(html: string, byCid: Map<string, string>): string {
  if (!byCid.size) return html;
  return html.replace(/\bcid:([^"'\s)>]+)/gi, (whole, cid: string) => {
    let key = cid.toLowerCase();
    try {
      key = decodeURIComponent(key);
    } catch {
      // keep it as written
    }
    const id = byCid.get(key);
    return id ? `/files/${id}` : whole;
  });
}

/** Rejections the sender should hear about (not the noise Outlook attaches, like winmail.dat). */
export function worthTelling(rejected: RejectedAttachment[]): RejectedAttachment[] {
  return rejected.filter((r) => r.reason !== 'empty' && r.contentType !== 'application/ms-tnef');
}
