import { extname } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';

/** How many leading bytes `detectContentType` looks at. */
export const SNIFF_BYTES = 4096;

type Detected =
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/webp'
  | 'application/pdf'
  | 'zip'
  | 'ole'
  | 'executable'
  | 'text'
  | 'binary';

const startsWith = (b: Buffer, sig: number[] | string, offset = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= offset + bytes.length && b.subarray(offset, offset + bytes.length).equals(bytes);
};

/** What the content is, by its magic bytes — never by what the client claims. */
export function sniff(head: Buffer): Detected {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'image/gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'image/webp';
  // PDF readers accept the header anywhere in the first KB
  if (head.subarray(0, 1024).includes(Buffer.from('%PDF-'))) return 'application/pdf';
  if (startsWith(head, 'PK\x03\x04') || startsWith(head, 'PK\x05\x06')) return 'zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (
    startsWith(head, 'MZ') ||
    startsWith(head, '\x7fELF') ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, '#!')
  ) {
    return 'executable';
  }
  return head.includes(0) ? 'binary' : 'text';
}

const ZIP_CONTAINERS = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);
const OLE_CONTAINERS = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint']);
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'message/rfc822']);
const TEXT_BY_EXTENSION: Record<string, string> = {
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.eml': 'message/rfc822',
};

function unsupported(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, details);
}

/**
 * The content type an upload is stored and served with, decided from its bytes: images and PDFs
 * are recognised by magic bytes whatever the client says, a claimed image or PDF that is not
 * one is refused, Office/zip containers keep the claimed subtype, text keeps text types only.
 * Anything outside `allowed` is refused with UNSUPPORTED_MEDIA_TYPE.
 */
export function detectContentType(head: Buffer, declared: string | undefined, filename: string, allowed: string[]) {
  const claimed = (declared ?? '').split(';')[0].trim().toLowerCase();
  const detected = sniff(head);
  let type: string;
  switch (detected) {
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
    case 'image/webp':
    case 'application/pdf':
      type = detected;
      break;
    case 'executable':
    case 'binary':
      throw unsupported('This kind of file cannot be uploaded.', { detected });
    case 'zip':
      type = ZIP_CONTAINERS.has(claimed) ? claimed : 'application/zip';
      break;
    case 'ole':
      if (!OLE_CONTAINERS.has(claimed)) throw unsupported('This kind of file cannot be uploaded.', { detected });
      type = claimed;
      break;
    case 'text':
      if (claimed.startsWith('image/') || claimed === 'application/pdf' || claimed.startsWith('video/')) {
        throw unsupported(`The file claims to be ${claimed} but its content is not.`, { claimed });
      }
      type = TEXT_TYPES.has(claimed) ? claimed : (TEXT_BY_EXTENSION[extname(filename).toLowerCase()] ?? 'text/plain');
      break;
  }
  if (!allowed.includes(type)) throw unsupported(`Files of type ${type} cannot be uploaded here.`, { type, allowed });
  return type;
}
