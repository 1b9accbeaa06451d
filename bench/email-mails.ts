/**
 * Generated mails for the email ingest bench: real-shaped RFC 822 bytes, as mail clients write
 * them. A third are in Korean (UTF-8, encoded-word subjects and names), one in seven carries a
 * small attachment, and from the REPLY_DISTANCE-th mail on two in five answer an earlier mail of
 * the same sender (In-Reply-To and References), so they must thread onto that mail's ticket.
 */

export const MAILBOX = 'support@bench.test';
/** A reply answers the mail sent this many mails before it (same sender, long committed by then). */
export const REPLY_DISTANCE = 1000;
const SENDERS = 1000;

export interface BenchMail {
  index: number;
  messageId: string;
  from: string;
  /** The index of the mail it answers, when it is a reply. */
  replyTo: number | null;
  raw: Buffer;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const encodedWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${b64(s)}?=`);
const wrap76 = (s: string) => s.replace(/.{1,76}/g, '$&\r\n');

const KOREAN_SUBJECTS = ['주문 배송 문의', '환불 요청드립니다', '결제 오류가 발생했어요', '계정 로그인이 안 됩니다'];
const ENGLISH_SUBJECTS = ['Order has not arrived', 'Refund request', 'Payment failed twice', 'Cannot sign in'];
const KOREAN_NAMES = ['김민지', '이서준', '박지우', '최하은', '정도윤'];
const ENGLISH_NAMES = ['Alice Martin', 'Bob Chen', 'Carla Diaz', 'Dan Okafor', 'Eve Novak'];

const messageIdOf = (i: number) => `bench-${i}@client.bench.test`;
const isReply = (i: number) => i >= REPLY_DISTANCE && i % 5 < 2;
const isKorean = (i: number) => (i % SENDERS) % 3 === 0;

function subjectOf(i: number): string {
  if (isReply(i)) return `Re: ${subjectOf(i - REPLY_DISTANCE)}`;
  const list = isKorean(i) ? KOREAN_SUBJECTS : ENGLISH_SUBJECTS;
  return `${list[i % list.length]} #${i}`;
}

function bodyOf(i: number): string {
  const korean = isKorean(i);
  const lines = korean
    ? ['안녕하세요.', `주문 번호 ${10000 + i} 건으로 문의드립니다.`, '확인 부탁드립니다.', '', '감사합니다.']
    : ['Hello,', `I am writing about order ${10000 + i}.`, 'Could you please have a look?', '', 'Thanks,'];
  if (isReply(i)) {
    const original = i - REPLY_DISTANCE;
    lines.push('', `On Mon, 23 Nov 2026 at 10:00, ${MAILBOX} wrote:`, `> ${subjectOf(original)}`, '> ...');
  }
  return lines.join('\r\n');
}

// a tiny valid PNG (1×1) padded to a few KB, as a screenshot attachment would be
const PNG = Buffer.concat([
  Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082',
    'hex',
  ),
  Buffer.alloc(2048, 0),
]);

export function benchMail(i: number): BenchMail {
  const sender = i % SENDERS;
  const korean = isKorean(i);
  const name = (korean ? KOREAN_NAMES : ENGLISH_NAMES)[sender % 5];
  const from = `customer${sender}@bench.test`;
  const replyTo = isReply(i) ? i - REPLY_DISTANCE : null;
  const headers = [
    `Return-Path: <${from}>`,
    `Received: from client.bench.test (client.bench.test [127.0.0.1]) by mx.bench.test; Mon, 23 Nov 2026 10:00:00 +0000`,
    `From: ${encodedWord(name)} <${from}>`,
    `To: Support <${MAILBOX}>`,
    `Subject: ${encodedWord(subjectOf(i))}`,
    `Date: Mon, 23 Nov 2026 10:${String(Math.floor(i / 100) % 60).padStart(2, '0')}:00 +0000`,
    `Message-ID: <${messageIdOf(i)}>`,
    ...(replyTo !== null ? [`In-Reply-To: <${messageIdOf(replyTo)}>`, `References: <${messageIdOf(replyTo)}>`] : []),
    'MIME-Version: 1.0',
    'User-Agent: BenchMail/1.0',
  ];
  const text = [
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    wrap76(b64(bodyOf(i))),
  ];
  let raw: string;
  if (i % 7 === 3) {
    const boundary = `----=_bench_${i}`;
    raw = [
      ...headers,
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      ...text,
      `--${boundary}`,
      `Content-Type: image/png; name="screenshot-${i}.png"`,
      `Content-Disposition: attachment; filename="screenshot-${i}.png"`,
      'Content-Transfer-Encoding: base64',
      '',
      wrap76(b64(PNG)),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  } else {
    raw = [...headers, ...text].join('\r\n');
  }
  return { index: i, messageId: messageIdOf(i), from, replyTo, raw: Buffer.from(raw) };
}
