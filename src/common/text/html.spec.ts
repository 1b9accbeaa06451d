import { escapeHtml, htmlToText, sanitizeMessageHtml, textToHtml } from './html';

const ALLOWED_TAGS = new Set(
  'p br b strong i em u s a ul ol li blockquote pre code h1 h2 h3 h4 h5 h6 table thead tbody tr td th img span div hr'.split(
    ' ',
  ),
);
const ALLOWED_ATTRIBUTES = new Set(
  'style dir href title target rel src alt width height data-remote-src border cellpadding cellspacing align colspan rowspan valign start type value'.split(
    ' ',
  ),
);
const SAFE_HREF = /^(?:https?:|mailto:|tel:)/i;
const SAFE_SRC = /^(?:cid:|data:image\/(?:png|jpeg|gif|webp);base64,|\/files\/)/i;

/** Asserts structural safety of sanitizer output: only allowlisted tags/attributes, only safe URLs. */
function expectSafe(html: string): void {
  expect(html).not.toMatch(/javascript:|vbscript:|<script|<style|<iframe|<svg|<math|<form|<object|<embed|<base/i);
  for (const [, tag, attributes] of html.matchAll(/<\/?([^\s/>]+)([^>]*)>/g)) {
    expect(ALLOWED_TAGS).toContain(tag);
    for (const [, name, value] of attributes.matchAll(/\s([^\s=]+)="([^"]*)"/g)) {
      expect(ALLOWED_ATTRIBUTES).toContain(name);
      if (name === 'href') expect(value).toMatch(SAFE_HREF);
      if (name === 'src') expect(value).toMatch(SAFE_SRC);
      if (name === 'data-remote-src') expect(value).toMatch(/^https?:\/\//);
      if (name === 'style') expect(value).not.toMatch(/url\(|expression|@import|position/i);
    }
    // Everything else inside the tag must have been consumed by the attribute pattern above.
    expect(attributes.replace(/\s([^\s=]+)="([^"]*)"/g, '').replace(/\s*\/?$/, '')).toBe('');
  }
}

const XSS_VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"//',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src=`javascript:alert(1)`>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href=" &#14;  javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="https://ok.example/"onclick="alert(1)">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  '<style>@import "https://evil/x.css"; body { display: none }</style>',
  '<link rel="stylesheet" href="https://evil/x.css"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<math href="javascript:alert(1)">click</math>',
  '<form action="javascript:alert(1)"><input type="submit" formaction="javascript:alert(1)"><button>Go</button></form>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<div style="background-image: url(javascript:alert(1)); color: red">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<div title="a" onmouseover="alert(1)"><b onclick="x">unclosed',
  '<p title="x"><"\'>nested "quotes" \'here\'',
  '<img """><script>alert(1)</script>">',
  '<a href="https://x.example" title=\'"><script>alert(1)</script>\'>t</a>',
  '<div id="x" class="y" name="z" data-foo="bar">clobber</div>',
  '<template><img src=x onerror=alert(1)></template>',
  '<!--><img src=x onerror=alert(1)>-->',
  '<![CDATA[<img src=x onerror=alert(1)>]]>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img src="/files/../api/logout"><img src="/files/%2e%2e/api/logout"><img src="//evil.example/x.png">',
];

describe('sanitizeMessageHtml', () => {
  it.each(XSS_VECTORS)('neutralizes %s', (vector) => {
    const output = sanitizeMessageHtml(vector);
    expectSafe(output);
    // A second pass must not change anything, otherwise the browser may parse the output differently than we did.
    expect(sanitizeMessageHtml(output)).toBe(output);
  });

  it('stays safe for random combinations of hostile fragments', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const fragments = [...XSS_VECTORS, '<', '>', '"', "'", '</', '<a ', '<img ', ' href=', '=', 'text', '&#x09;'];
    for (let i = 0; i < 500; i++) {
      const input = Array.from({ length: 1 + random(8) }, () => fragments[random(fragments.length)]).join('');
      expectSafe(sanitizeMessageHtml(input));
    }
  });

  it('drops script, style and other non-text content entirely', () => {
    expect(sanitizeMessageHtml('<script>alert(1)</script><style>p{}</style><iframe>i</iframe>text')).toBe('text');
    expect(sanitizeMessageHtml('<svg><text>svg</text></svg><math><mi>x</mi></math>after')).toBe('after');
  });

  it('keeps the text of discarded form elements', () => {
    expect(sanitizeMessageHtml('<form><label>Name</label><input name="n"><button>Send</button></form>')).toBe(
      'NameSend',
    );
  });

  it('keeps formatting tags', () => {
    const html =
      '<h1>T</h1><p><b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><s>s</s><code>c</code></p>' +
      '<ul><li>1</li></ul><ol start="3"><li>2</li></ol><blockquote>q</blockquote><pre>p</pre><hr />' +
      '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>' +
      '<div><span>s</span><br />x</div>';
    expect(sanitizeMessageHtml(html)).toBe(html);
  });

  describe('links', () => {
    it.each(['https://example.com/a?b=1', 'http://example.com', 'mailto:kim@example.com', 'tel:+82-2-1234-5678'])(
      'keeps %s and opens it safely in a new tab',
      (href) => {
        const output = sanitizeMessageHtml(`<a href="${href}" target="_self" rel="opener">x</a>`);
        expect(output).toBe(`<a target="_blank" rel="noopener noreferrer nofollow" href="${href}">x</a>`);
      },
    );

    it.each(['javascript:alert(1)', 'jav&#x09;ascript:alert(1)', 'data:text/html,x', '/relative', '//evil.example'])(
      'removes href %s but keeps the link text',
      (href) => {
        expect(sanitizeMessageHtml(`<a href="${href}">x</a>`)).toBe(
          '<a rel="noopener noreferrer nofollow" target="_blank">x</a>',
        );
      },
    );

    it('escapes ampersands in URLs', () => {
      expect(sanitizeMessageHtml('<a href="https://e.example/?a=1&b=2">x</a>')).toContain(
        'href="https://e.example/?a=1&amp;b=2"',
      );
    });
  });

  describe('images', () => {
    it('keeps inline cid images', () => {
      expect(sanitizeMessageHtml('<img src="cid:logo@sori" alt="Logo">')).toBe(
        '<img alt="Logo" src="cid:logo@sori" />',
      );
    });

    it.each(['png', 'jpeg', 'gif', 'webp'])('keeps data:image/%s base64 images', (type) => {
      const src = `data:image/${type};base64,iVBORw0KGgo=`;
      expect(sanitizeMessageHtml(`<img src="${src}">`)).toBe(`<img src="${src}" />`);
    });

    it('keeps attachments served from /files/', () => {
      expect(sanitizeMessageHtml('<img src="/files/abc/def.png?size=2">')).toBe(
        '<img src="/files/abc/def.png?size=2" />',
      );
    });

    it('does not load remote images but remembers where they are', () => {
      expect(sanitizeMessageHtml('<img src="https://tracker.example/p.gif?u=1&amp;x" width="1" height="1">')).toBe(
        '<img width="1" height="1" data-remote-src="https://tracker.example/p.gif?u=1&amp;x" />',
      );
    });

    it('ignores a data-remote-src supplied by the sender', () => {
      expect(sanitizeMessageHtml('<img src="cid:a" data-remote-src="javascript:alert(1)">')).toBe(
        '<img src="cid:a" />',
      );
    });

    it.each([
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:text/html;base64,PHN2Zz4=',
      'javascript:alert(1)',
      '//evil.example/x.png',
      '/files/../api/logout',
      '/files/%2e%2e/api/logout',
      '/api/logout',
      'x',
    ])('drops images with src %s', (src) => {
      expect(sanitizeMessageHtml(`<img src="${src}" alt="a">`)).toBe('');
    });

    it('drops srcset so it cannot bypass the src rules', () => {
      expect(sanitizeMessageHtml('<img src="cid:a" srcset="https://evil.example/x.png 1x">')).toBe(
        '<img src="cid:a" />',
      );
    });
  });

  describe('styles', () => {
    it('keeps the safe style properties', () => {
      const style =
        'color:#ff0000;background-color:rgb(0, 0, 0);text-align:center;font-weight:bold;font-style:italic;text-decoration:underline';
      expect(sanitizeMessageHtml(`<span style="${style}">x</span>`)).toBe(`<span style="${style}">x</span>`);
    });

    it('removes other properties and unsafe values', () => {
      expect(
        sanitizeMessageHtml(
          '<div style="position:fixed;top:0;color:red;background-image:url(https://t.example/x.png);background-color:url(x)">x</div>',
        ),
      ).toBe('<div style="color:red">x</div>');
      expect(sanitizeMessageHtml('<div style="color: expression(alert(1))">x</div>')).toBe('<div>x</div>');
    });

    it('strips classes and ids so message HTML cannot borrow the UI styles or clobber the DOM', () => {
      expect(sanitizeMessageHtml('<p class="btn" id="root">x</p>')).toBe('<p>x</p>');
    });
  });

  describe('real-world email', () => {
    it('keeps the text of Gmail HTML', () => {
      const html =
        '<div dir="ltr">Hello,<div><br></div><div>Order <b>#12345</b> never arrived.</div></div><br>' +
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Support wrote:<br></div>' +
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">Thanks</blockquote></div>';
      const output = sanitizeMessageHtml(html);
      expectSafe(output);
      expect(output).toContain('Order <b>#12345</b> never arrived.');
      expect(output).toContain('<blockquote>Thanks</blockquote>');
    });

    it('keeps the text of Outlook HTML and drops its namespaced tags and conditional comments', () => {
      const html =
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><style>p.MsoNormal{margin:0}</style>' +
        '<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--></head>' +
        '<body lang="KO"><div class="WordSection1"><p class="MsoNormal"><span lang="KO">환불 부탁드립니다<o:p></o:p></span></p>' +
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p><p class="MsoNormal">감사합니다<o:p></o:p></p></div></body></html>';
      const output = sanitizeMessageHtml(html);
      expectSafe(output);
      expect(output).toBe('<div><p><span>환불 부탁드립니다</span></p><p>\u00a0</p><p>감사합니다</p></div>');
    });
  });
});

describe('htmlToText', () => {
  it('turns block elements and <br> into newlines', () => {
    expect(htmlToText('<p>One</p><p>Two<br>Three</p><div>Four</div><div>Five</div>')).toBe(
      'One\n\nTwo\nThree\n\nFour\nFive',
    );
  });

  it('renders Gmail-style blank lines', () => {
    expect(
      htmlToText(
        '<div dir="ltr">Hello,<div><br></div><div>Order <b>#12345</b></div><div><br></div><div>Kim</div></div>',
      ),
    ).toBe('Hello,\n\nOrder #12345\n\nKim');
  });

  it('collapses source whitespace outside <pre> and keeps it inside', () => {
    expect(htmlToText('<p>\n  a\n   b  </p><pre>  x\n    y</pre>')).toBe('a b\n\n  x\n    y');
  });

  it('decodes entities', () => {
    expect(htmlToText('&lt;script&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &copy; &#xD658;&#xBD88; a&nbsp;b')).toBe(
      '<script> &amp; "q" \'s\' © 환불 a b',
    );
  });

  it('collapses more than one blank line', () => {
    expect(htmlToText('a<br><br><br><br><br>b<p></p><p></p><p>c</p>')).toBe('a\n\nb\n\nc');
  });

  it('renders lists and tables readably', () => {
    expect(htmlToText('<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul><p>after</p>')).toBe(
      '- one\n- two\n  1. a\n  2. b\n\nafter',
    );
    expect(htmlToText('<table><tr><th>h1</th><th>h2</th></tr><tr><td>1</td><td>2</td></tr></table>')).toBe(
      'h1\th2\n1\t2',
    );
  });

  it('drops scripts, styles, head and comments', () => {
    expect(
      htmlToText(
        '<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><!-- c --><p>Body</p></body></html>',
      ),
    ).toBe('Body');
  });

  it('keeps Outlook text', () => {
    expect(
      htmlToText('<p class="MsoNormal">Hi<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><p>Bye</p>'),
    ).toBe('Hi\n\nBye');
  });

  it('does not let text that looks like markup become tags', () => {
    expect(htmlToText('&lt;p&gt;not a paragraph&lt;/p&gt;')).toBe('<p>not a paragraph</p>');
  });

  it('handles empty and malformed input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('   ')).toBe('');
    expect(htmlToText('<div><p>unclosed <b>bold')).toBe('unclosed bold');
    expect(htmlToText('plain text')).toBe('plain text');
  });
});

describe('textToHtml', () => {
  it('escapes HTML', () => {
    expect(textToHtml('<script>alert("x")</script> & \'y\'')).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>',
    );
  });

  it('makes paragraphs on blank lines and <br> on single newlines', () => {
    expect(textToHtml('a\nb\n\n\nc\r\nd\n  \ne\n')).toBe('<p>a<br>b</p><p>c<br>d</p><p>e</p>');
  });

  it('returns an empty string for blank text', () => {
    expect(textToHtml('')).toBe('');
    expect(textToHtml('\n \n')).toBe('');
  });

  it('links http(s) URLs, leaving sentence punctuation outside', () => {
    expect(textToHtml('See https://example.com/a?b=1&c=2.')).toBe(
      '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">' +
        'https://example.com/a?b=1&amp;c=2</a>.</p>',
    );
  });

  it('keeps balanced parentheses in URLs but not a closing one from the sentence', () => {
    const html = textToHtml('(see https://en.wikipedia.org/wiki/Foo_(bar))');
    expect(html).toContain('href="https://en.wikipedia.org/wiki/Foo_(bar)"');
    expect(html).toMatch(/<\/a>\)<\/p>$/);
  });

  it('does not link other schemes or broken URLs', () => {
    expect(textToHtml('javascript:alert(1) http:// ftp://x.example')).toBe(
      '<p>javascript:alert(1) http:// ftp://x.example</p>',
    );
  });

  it('cannot break out of the href attribute', () => {
    const html = textToHtml('https://x.example/"onmouseover="alert(1) https://x.example/<script>');
    expect(html).not.toMatch(/<script|"onmouseover/);
    expectSafe(html);
  });

  it('produces HTML that survives sanitization unchanged in meaning', () => {
    const html = textToHtml('Hi <b>\nhttps://example.com\n\nBye');
    expect(htmlToText(sanitizeMessageHtml(html))).toBe('Hi <b>\nhttps://example.com\n\nBye');
  });
});

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('leaves other text alone', () => {
    expect(escapeHtml('환불 refund 😀')).toBe('환불 refund 😀');
  });
});
