/** Header values we write: never a line break (header injection), never absurdly long. */
export function headerSafe(value: string, max = 250): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- control characters are what we remove
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

const REPLY_PREFIX = /^\s*((re|aw|sv|vs|antw|답장|회신|返信|回复)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/** `Re: <subject>` without stacking prefixes (Re: RE: 회신: …). */
export function replySubject(subject: string): string {
  return `Re: ${subject.replace(REPLY_PREFIX, '').trim()}`;
}

/** `<id>` for headers from a normalised id. */
export function bracket(id: string): string {
  return `<${id}>`;
}

/** References for a reply: the first mail of the thread and the most recent ones (RFC 5322 §3.6.4). */
export function referencesFor(thread: string[], max = 20): string[] {
  const unique = [...new Set(thread)];
  if (unique.length <= max) return unique;
  return [unique[0], ...unique.slice(-(max - 1))];
}
