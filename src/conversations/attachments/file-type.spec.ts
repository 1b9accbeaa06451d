import { contentDisposition, sanitizeFilename } from './filenames';
import { detectContentType, sniff } from './file-type';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const ALLOWED = ['image/png', 'image/jpeg', 'application/pdf', 'text/plain', 'text/csv', 'application/zip'];

describe('upload types', () => {
  it('recognises content by magic bytes', () => {
    expect(sniff(PNG)).toBe('image/png');
    expect(sniff(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniff(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniff(Buffer.from('MZ\x90\0'))).toBe('executable');
    expect(sniff(Buffer.from('hello'))).toBe('text');
  });

  it('uses the detected type whatever the client claims', () => {
    expect(detectContentType(PNG, 'application/octet-stream', 'x.bin', ALLOWED)).toBe('image/png');
    expect(detectContentType(Buffer.from('%PDF-1.4'), 'text/plain', 'doc.txt', ALLOWED)).toBe('application/pdf');
    expect(detectContentType(PNG, 'image/jpeg', 'photo.jpg', ALLOWED)).toBe('image/png');
  });

  it('refuses a fake image and executables', () => {
    expect(() => detectContentType(Buffer.from('<svg onload=alert(1)>'), 'image/png', 'a.png', ALLOWED)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
    expect(() => detectContentType(Buffer.from('MZ\x90\0\x03'), 'text/plain', 'a.txt', ALLOWED)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
  });

  it('serves text only as a text type, picked from the claim or the extension', () => {
    expect(detectContentType(Buffer.from('<html><script>'), 'text/html', 'page.html', ALLOWED)).toBe('text/plain');
    expect(detectContentType(Buffer.from('a,b\n1,2'), 'application/octet-stream', 'data.csv', ALLOWED)).toBe(
      'text/csv',
    );
  });

  it('refuses types outside the allowed list', () => {
    expect(() => detectContentType(Buffer.from('GIF89a'), 'image/gif', 'a.gif', ALLOWED)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
  });
});

describe('filenames', () => {
  it('keeps Korean names and drops paths, controls and bidi tricks', () => {
    expect(sanitizeFilename('C:\\Users\\kim\\견적서 (최종).pdf')).toBe('견적서 (최종).pdf');
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFilename('\u0000')).toBe('file');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
  });

  it('shortens long names but keeps the extension', () => {
    const name = sanitizeFilename(`${'가'.repeat(300)}.pdf`);
    expect([...name].length).toBe(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('writes RFC 5987 headers with an ASCII fallback', () => {
    expect(contentDisposition('견적서 "v2".pdf')).toBe(
      `attachment; filename="___ _v2_.pdf"; filename*=UTF-8''%EA%B2%AC%EC%A0%81%EC%84%9C%20%22v2%22.pdf`,
    );
    expect(contentDisposition("it's.txt")).toBe(`attachment; filename="it's.txt"; filename*=UTF-8''it%27s.txt`);
  });
});
