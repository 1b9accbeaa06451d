import { renderTemplate, templateValues } from './template';

const values = templateValues({
  contact: { name: '김민지 Kim', email: 'minji@example.test' },
  agent: { name: 'Dana Lee', email: 'dana@example.test' },
  ticket: { number: 42, subject: 'Refund', status: 'open', priority: 'high' },
});

describe('template variables', () => {
  it('fills known variables, tolerant of spaces and case', () => {
    const r = renderTemplate(
      'Hi {{contact.first_name}}, re #{{ ticket.number }} ({{Ticket.Subject}}) — {{agent.name}}',
      values,
    );
    expect(r).toEqual({ text: 'Hi 김민지, re #42 (Refund) — Dana Lee', unknown: [] });
  });

  it('leaves unknown variables visible and reports them', () => {
    const r = renderTemplate('{{contact.password}} {{constructor}} {{__proto__}} {{lookup this "x"}}', values);
    expect(r.text).toBe('{{contact.password}} {{constructor}} {{__proto__}} {{lookup this "x"}}');
    expect(r.unknown).toEqual(['contact.password', 'constructor', '__proto__', 'lookup this "x"']);
  });

  it('never expands placeholders inside values, and strips control characters', () => {
    const hostile = templateValues({
      contact: { name: '{{agent.email}}\u202e<img src=x onerror=alert(1)>\u0007', email: null },
      ticket: { number: 1, subject: '{{ticket.number}}', status: 'new', priority: 'low' },
    });
    const r = renderTemplate('{{contact.name}}|{{ticket.subject}}|{{contact.email}}', hostile);
    expect(r.text).toBe('{{agent.email}}<img src=x onerror=alert(1)>|{{ticket.number}}|');
    expect(r.unknown).toEqual([]);
  });

  it('escapes template and values for HTML', () => {
    const hostile = templateValues({ contact: { name: '<script>"x"</script>', email: "a'b@example.test" } });
    const r = renderTemplate('<b>Hi</b> {{contact.name}} {{contact.email}}', hostile, 'html');
    expect(r.text).toBe('&lt;b&gt;Hi&lt;/b&gt; &lt;script&gt;&quot;x&quot;&lt;/script&gt; a&#39;b@example.test');
  });

  it('survives NUL characters and unbalanced braces in the template', () => {
    const r = renderTemplate('a\u00000\u0000b {{ {{contact.email}} }} {{', values);
    expect(r.text).toBe('a0b {{ minji@example.test }} {{');
  });

  it('caps long values', () => {
    const long = templateValues({ ticket: { number: 1, subject: 'x'.repeat(5000), status: 'new', priority: 'low' } });
    expect(renderTemplate('{{ticket.subject}}', long).text).toHaveLength(500);
  });
});
