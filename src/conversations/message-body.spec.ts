import { bodyFromInbound, bodyFromInput, isEmptyBody, MAX_BODY_BYTES, truncateUtf8 } from './message-body';

describe('message bodies', () => {
  it('turns text into escaped, linked HTML', () => {
    const b = bodyFromInput('Hi <b>there</b>\n\nsee https://example.com/a', 'TEXT');
    expect(b.html).toContain('Hi &lt;b&gt;there&lt;/b&gt;');
    expect(b.html).toContain('<a href="https://example.com/a"');
    expect(b.text).toBe('Hi <b>there</b>\n\nsee https://example.com/a');
  });

  it('sanitises HTML and derives the text', () => {
    const b = bodyFromInput('<p onclick="x()">Hello<script>alert(1)</script> <b>world</b></p>', 'HTML');
    expect(b.html).toBe('<p>Hello <b>world</b></p>');
    expect(b.text).toBe('Hello world');
  });

  it('refuses bodies over 256 KB counted in bytes (Korean is 3 bytes a syllable)', () => {
    const korean = '가'.repeat(Math.floor(MAX_BODY_BYTES / 3) + 1);
    expect(() => bodyFromInput(korean, 'TEXT')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => bodyFromInput('가'.repeat(1000), 'TEXT')).not.toThrow();
  });

  it('never refuses inbound bodies: oversized HTML falls back to capped text', () => {
    const huge = `<div>${'<span style="color:red">안녕하세요 </span>'.repeat(40_000)}</div>`;
    const b = bodyFromInbound({ html: huge });
    expect(Buffer.byteLength(b.text)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(b.text.startsWith('안녕하세요')).toBe(true);
    expect(b.html.startsWith('<p>')).toBe(true);
  });

  it('cuts UTF-8 without splitting a character', () => {
    expect(truncateUtf8('가나다', 4)).toBe('가');
    expect(truncateUtf8('abc', 10)).toBe('abc');
  });

  it('knows an empty body', () => {
    expect(isEmptyBody(bodyFromInput('  ', 'TEXT'))).toBe(true);
    expect(isEmptyBody(bodyFromInput('<p><br></p>', 'HTML'))).toBe(true);
    expect(isEmptyBody(bodyFromInput('<img src="cid:x">', 'HTML'))).toBe(false);
  });
});
