import { sanitizeMessageHtml } from '../../../common/text/html';

/**
 * Quoted history and signatures in replies. The message keeps its whole body; this finds where
 * the part to collapse in display starts (text), and the HTML without it.
 */

const REPLY_HEADER_LINES: RegExp[] = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^On\b.{0,300}$/i, // continued on the next line ("…<x@y>\nwrote:")
  /^\d{4}년\s*\d{1,2}월\s*\d{1,2}일.{0,300}(작성|쓴 글):?\s*$/,
  /^\d{4}[./-]\s*\d{1,2}[./-]\s*\d{1,2}\.?.{0,200}(작성|wrote):?\s*$/i,
  /^-{2,}\s*(Original Message|원본 메시지|Ursprüngliche Nachricht|Message d'origine|元のメッセージ)\s*-{2,}\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,200}:\s*$/i,
  /^_{20,}\s*$/,
];
const OUTLOOK_FROM = /^\*?(From|보낸 사람|Von|De|差出人)\s*:\*?\s/i;
const OUTLOOK_NEXT = /^\*?(Sent|Date|보낸 날짜|날짜|Gesendet|Envoyé|送信日時|To|받는 사람|Subject|제목)\s*:\*?\s/i;
const SIGNATURE_LINES: RegExp[] = [
  /^--\s?$/,
  /^(Sent from my (iPhone|iPad|Android|Galaxy|mobile device|BlackBerry)|Get Outlook for (iOS|Android)|Sent from Mail for Windows|Sent from Outlook)\b/i,
  /^(iPhone|iPad|Galaxy|갤럭시|모바일)(에서|으로)\s*(보냄|보낸|전송)/i,
  /^Samsung Galaxy .{0,40}(에서|으로) 보냄/i,
];
const FORWARD_MARK = /(forwarded message|begin forwarded message|전달된 메시지|전달 메시지|weitergeleitete nachricht)/i;

/** Where collapsed text (quoted history or signature) starts in `text`; null when nothing is collapsed. */
export function quotedTextStart(text: string): number | null {
  const lines = text.split('\n');
  const offsets: number[] = [];
  let pos = 0;
  for (const line of lines) {
    offsets.push(pos);
    pos += line.length + 1;
  }
  const quote = quoteLine(lines);
  const end = quote ?? lines.length;
  let signature: number | null = null;
  // a signature sits near the end of what the person wrote
  for (let i = Math.max(1, end - 12); i < end; i++) {
    if (SIGNATURE_LINES.some((re) => re.test(lines[i].trim()))) {
      signature = i;
      break;
    }
  }
  const start = signature ?? quote;
  if (start === null || start === 0) return null;
  // nothing but blank lines before it: the whole mail is the quote (a forward, a bare quote)
  if (!text.slice(0, offsets[start]).trim()) return null;
  return offsets[start];
}

function quoteLine(lines: string[]): number | null {
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (FORWARD_MARK.test(line)) return null;
    if (REPLY_HEADER_LINES[0].test(line) || REPLY_HEADER_LINES.slice(2).some((re) => re.test(line))) return i;
    if (REPLY_HEADER_LINES[1].test(line) && /\bwrote:\s*$/i.test(lines[i + 1]?.trim() ?? '')) return i;
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => OUTLOOK_NEXT.test(l.trim()))) return i;
    if (line.startsWith('>') && lines.slice(i).every((l) => !l.trim() || l.trim().startsWith('>'))) return i;
  }
  return null;
}

const HTML_MARKERS: RegExp[] = [
  /<div[^>]*class=["']?[^"'>]*\bgmail_quote\b/i,
  /<blockquote[^>]*class=["']?[^"'>]*\bgmail_quote\b/i,
  /<div[^>]*class=["']?[^"'>]*\bgmail_signature\b/i,
  /<blockquote[^>]*type=["']?cite\b/i,
  /<div[^>]*class=["']?[^"'>]*\bmoz-cite-prefix\b/i,
  /<div[^>]*class=["']?[^"'>]*\bmoz-signature\b/i,
  /<div[^>]*id=["']?(divRplyFwdMsg|appendonsend|Signature)\b/i,
  /<div[^>]*class=["']?[^"'>]*\byahoo_quoted\b/i,
  /<div[^>]*style=["'][^"']*border-top:\s*solid\s+#(e1e1e1|b5c4df)/i,
  /-{3,}\s*(Original Message|원본 메시지)\s*-{3,}/i,
];

/** The HTML without quoted history and signature (sanitised), or null when nothing is collapsed. */
export function visibleHtml(html: string): string | null {
  let cut = -1;
  for (const re of HTML_MARKERS) {
    const m = re.exec(html);
    if (m && (cut < 0 || m.index < cut)) cut = m.index;
  }
  if (cut <= 0) return null;
  if (FORWARD_MARK.test(html.slice(cut, cut + 600).replace(/<[^>]*>/g, ' '))) return null;
  const visible = sanitizeMessageHtml(html.slice(0, cut));
  return visible.replace(/<[^>]*>|&nbsp;|\s/g, '') || /<img\b/i.test(visible) ? visible : null;
}
