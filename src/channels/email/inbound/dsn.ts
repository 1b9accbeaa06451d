import { firstHeader, headerFields, normalizeMessageId } from './raw-mail';
import type { ParsedEmail } from './parse';

/** What a delivery status notification (bounce) or a read receipt says about a mail we sent. */
export interface DeliveryReport {
  kind: 'failed' | 'delayed' | 'delivered' | 'read';
  /** The Message-IDs it may be about, most specific first. */
  originalMessageIds: string[];
  recipient: string | null;
  status: string | null;
  /** A short reason for the agent: status code and diagnostic. */
  reason: string;
}

const BOUNCE_SUBJECT =
  /(undeliver|delivery (status notification|failure|has failed)|returned mail|mail delivery failed|failure notice|non[- ]?delivery|배달 실패|전송 실패|반송)/i;

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of headerFields(Buffer.from(`${text.replace(/\r?\n\r?\n/g, '\n')}\n\n`, 'utf8'))) {
    if (!map.has(f.name)) map.set(f.name, f.value);
  }
  return map;
}

function originalIds(p: ParsedEmail): string[] {
  const ids: string[] = [];
  for (const a of p.attachments) {
    if (a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers') {
      const id = normalizeMessageId(firstHeader(headerFields(a.content), 'message-id'));
      if (id) ids.push(id);
    }
  }
  // bounces without the original attached often still thread to it
  ids.push(...p.inReplyTo, ...[...p.references].reverse());
  const inText = p.text?.match(/^message-id:\s*(<[^>\s]+>)/im)?.[1];
  if (inText) ids.push(normalizeMessageId(inText) as string);
  return [...new Set(ids.filter(Boolean))];
}

/** Reads a multipart/report (RFC 3464 delivery status, RFC 8098 read receipt) or a classic bounce. */
export function deliveryReport(p: ParsedEmail): DeliveryReport | null {
  const status = p.attachments.find((a) => a.contentType === 'message/delivery-status');
  const mdn = p.attachments.find((a) => a.contentType === 'message/disposition-notification');
  const reportType = /report-type\s*=\s*"?([\w-]+)/i.exec(p.headers.get('content-type')?.[0] ?? '')?.[1]?.toLowerCase();
  if (mdn || reportType === 'disposition-notification') {
    const disposition = mdn ? (fields(mdn.content.toString('utf8')).get('disposition') ?? '') : '';
    const read = !mdn || /displayed/i.test(disposition);
    return {
      kind: read ? 'read' : 'delivered',
      originalMessageIds: originalIdsWith(
        p,
        mdn ? fields(mdn.content.toString('utf8')).get('original-message-id') : null,
      ),
      recipient: null,
      status: null,
      reason: `read receipt${disposition ? `: ${disposition.slice(0, 100)}` : ''}`,
    };
  }
  if (status || reportType === 'delivery-status') return fromStatus(p, status?.content.toString('utf8') ?? '');
  const from = p.from?.address ?? '';
  if (/^(mailer-daemon|postmaster)@/i.test(from) && BOUNCE_SUBJECT.test(p.subject)) {
    const failed = p.headers.get('x-failed-recipients')?.[0] ?? null;
    return {
      kind: 'failed',
      originalMessageIds: originalIds(p),
      recipient: failed,
      status: null,
      reason: `bounced: ${p.subject.slice(0, 200)}`,
    };
  }
  return null;
}

function originalIdsWith(p: ParsedEmail, id: string | null | undefined): string[] {
  const first = normalizeMessageId(id);
  return [...new Set([...(first ? [first] : []), ...originalIds(p)])];
}

function fromStatus(p: ParsedEmail, text: string): DeliveryReport {
  // per-message fields, then one block per recipient; the first recipient block that failed wins
  const blocks = text.split(/\r?\n\s*\r?\n/).map(fields);
  const recipients = blocks.filter((b) => b.has('action') || b.has('final-recipient'));
  const chosen = recipients.find((b) => /failed/i.test(b.get('action') ?? '')) ?? recipients[0] ?? new Map();
  const action = (chosen.get('action') ?? 'failed').toLowerCase();
  const statusCode = chosen.get('status') ?? null;
  const diagnostic = chosen.get('diagnostic-code')?.replace(/^smtp;\s*/i, '') ?? null;
  const recipient = chosen.get('final-recipient')?.replace(/^rfc822;\s*/i, '') ?? null;
  const kind = action.startsWith('delayed')
    ? 'delayed'
    : /delivered|relayed|expanded/.test(action)
      ? 'delivered'
      : 'failed';
  const parts = [statusCode && `status ${statusCode}`, diagnostic, recipient && `recipient ${recipient}`].filter(
    Boolean,
  );
  return {
    kind,
    originalMessageIds: originalIds(p),
    recipient,
    status: statusCode,
    reason: (parts.join('; ') || p.subject || 'delivery failed').slice(0, 900),
  };
}
