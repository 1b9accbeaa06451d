import sanitizeHtml from 'sanitize-html';

/**
 * HTML handling for message bodies. Inbound email HTML is hostile by default: it is rendered inside the agent UI, so
 * anything that can run script, load remote content (tracking pixels) or restyle the surrounding page is removed.
 */

const LINK_REL = 'noopener noreferrer nofollow';
const LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'];
const LINK_HREF = /^(?:https?|mailto|tel):/i;
const INLINE_IMAGE_SRC = /^(?:cid:\S+|data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+)$/i;
const LOCAL_FILES_PREFIX = '/files/';
// Only used to resolve relative paths; never requested.
const PLACEHOLDER_ORIGIN = 'https://sori.invalid';
const REMOTE_IMAGE_SRC = /^https?:\/\//i;

// prettier-ignore
const FORMATTING_TAGS = [
  'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'img', 'span', 'div', 'hr',
];

// Elements whose content is not readable message text (or is markup in disguise): dropped together with the tag.
// prettier-ignore
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'select', 'xmp', 'noscript', 'template', 'title', 'head',
  'iframe', 'frame', 'frameset', 'noframes', 'noembed', 'object', 'embed', 'applet', 'svg', 'math', 'plaintext',
];

const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'align', 'valign', 'width'];

const COLOR = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*[\d.%\s,/]+\)$/i, /^[a-z]{3,30}$/i];
const ALLOWED_STYLES: Record<string, RegExp[]> = {
  color: COLOR,
  'background-color': COLOR,
  'text-align': [/^(?:left|right|center|justify|start|end)$/i],
  'font-weight': [/^(?:normal|bold|bolder|lighter|[1-9]00)$/i],
  'font-style': [/^(?:normal|italic|oblique)$/i],
  'text-decoration': [/^(?:none|underline|overline|line-through)(?:\s+(?:underline|overline|line-through))*$/i],
};

const MESSAGE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: FORMATTING_TAGS,
  allowedAttributes: {
    '*': ['style', 'dir'],
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'align'],
    td: CELL_ATTRIBUTES,
    th: CELL_ATTRIBUTES,
    ol: ['start', 'type'],
    li: ['value'],
  },
  allowedStyles: { '*': ALLOWED_STYLES },
  // A second line of defence behind the transforms below, which already enforce the same schemes.
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  nonTextTags: NON_TEXT_TAGS,
  disallowedTagsMode: 'discard',
  transformTags: { a: transformLink, img: transformImage },
  // An image left with neither a usable nor a remote source would only render as a broken-image icon.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src && !frame.attribs['data-remote-src'],
};

/** Sanitizes message HTML for display in the agent and customer UIs. */
export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, MESSAGE_OPTIONS);
}

function transformLink(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { href, ...rest } = attribs;
  const result: sanitizeHtml.Attributes = { ...rest, rel: LINK_REL, target: '_blank' };
  const cleanHref = trimUrlEdges(href ?? '');
  // Relative links are dropped too: in an email they can only point at the helpdesk itself.
  if (LINK_HREF.test(cleanHref)) result.href = cleanHref;
  return { tagName, attribs: result };
}

function transformImage(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  // Never trust an incoming data-remote-src: the UI loads it on request, so only we may set it.
  const { src, 'data-remote-src': _ignored, ...rest } = attribs;
  const cleanSrc = trimUrlEdges(src ?? '');
  if (INLINE_IMAGE_SRC.test(cleanSrc)) return { tagName, attribs: { ...rest, src: cleanSrc } };
  const localPath = localFilePath(cleanSrc);
  if (localPath !== null) return { tagName, attribs: { ...rest, src: localPath } };
  // Remote images are tracking pixels as often as not; keep the URL so the UI can offer to load them.
  if (REMOTE_IMAGE_SRC.test(cleanSrc) && URL.canParse(cleanSrc)) {
    return { tagName, attribs: { ...rest, 'data-remote-src': cleanSrc } };
  }
  return { tagName, attribs: rest };
}

// Resolved the way a browser would, so that `/files/../api/...` or `/files/%2e%2e/...` cannot reach other endpoints
// with the agent's cookies.
function localFilePath(src: string): string | null {
  if (!src.startsWith(LOCAL_FILES_PREFIX) || !URL.canParse(src, PLACEHOLDER_ORIGIN)) return null;
  const url = new URL(src, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN || !url.pathname.startsWith(LOCAL_FILES_PREFIX)) return null;
  return url.pathname + url.search;
}

// Browsers ignore leading/trailing C0 controls and spaces in URLs, so must we before checking the scheme.
function trimUrlEdges(url: string): string {
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  return url.slice(start, end);
}

// ---------------------------------------------------------------------------------------------------------------
// HTML → text

const PARAGRAPH_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'hr']);
// prettier-ignore
const LINE_TAGS = new Set([
  'div', 'tr', 'li', 'dl', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside',
  'address', 'figure', 'figcaption', 'caption', 'center', 'thead', 'tbody', 'tfoot',
]);
const LIST_TAGS = new Set(['ul', 'ol']);
const CELL_TAGS = new Set(['td', 'th']);

// Reduce arbitrary HTML to structural tags without attributes, so the walk below can tokenize it with a regex.
const TEXT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...PARAGRAPH_TAGS, ...LINE_TAGS, ...LIST_TAGS, ...CELL_TAGS, 'br'],
  allowedAttributes: {},
  nonTextTags: NON_TEXT_TAGS,
  disallowedTagsMode: 'discard',
};
const TAG_TOKEN = /<(\/?)([a-z0-9]+)\s*\/?>/g;

interface ListState {
  ordered: boolean;
  next: number;
}

/** Accumulates text while guaranteeing a minimum number of line breaks at block boundaries. */
class TextBuilder {
  private out = '';

  append(text: string, preformatted: boolean): void {
    if (preformatted) {
      this.out += text;
      return;
    }
    const collapsed = text.replace(/[ \t\n\r\f]+/g, ' ').replace(/\u00a0/g, ' ');
    // Whitespace collapses across element boundaries too, and is invisible at the start of a line.
    this.out += this.atLineStart() || /[ \t]$/.test(this.out) ? collapsed.trimStart() : collapsed;
  }

  newline(): void {
    this.trimTrailingSpaces();
    this.out += '\n';
  }

  ensureBreaks(count: 1 | 2): void {
    this.trimTrailingSpaces();
    if (this.out === '') return;
    const existing = /\n*$/.exec(this.out)?.[0].length ?? 0;
    this.out += '\n'.repeat(Math.max(count - existing, 0));
  }

  cellSeparator(): void {
    if (!this.atLineStart()) this.out = this.out.replace(/[ \t]+$/, '') + '\t';
  }

  toString(): string {
    return this.out.replace(/\n{3,}/g, '\n\n').trim();
  }

  private atLineStart(): boolean {
    return this.out === '' || this.out.endsWith('\n');
  }

  private trimTrailingSpaces(): void {
    this.out = this.out.replace(/[ \t]+$/, '');
  }
}

/** Plain-text rendering of (untrusted) HTML, for previews, notifications, search and text/plain parts. */
export function htmlToText(html: string): string {
  const simplified = sanitizeHtml(html, TEXT_OPTIONS);
  const builder = new TextBuilder();
  const lists: ListState[] = [];
  let preDepth = 0;
  let last = 0;
  for (const match of simplified.matchAll(TAG_TOKEN)) {
    builder.append(decodeSanitizedText(simplified.slice(last, match.index)), preDepth > 0);
    last = match.index + match[0].length;
    const closing = match[1] === '/';
    const tag = match[2];
    if (tag === 'pre') preDepth = Math.max(preDepth + (closing ? -1 : 1), 0);
    applyTag(builder, lists, tag, closing);
  }
  builder.append(decodeSanitizedText(simplified.slice(last)), preDepth > 0);
  return builder.toString();
}

function applyTag(builder: TextBuilder, lists: ListState[], tag: string, closing: boolean): void {
  if (tag === 'br') builder.newline();
  else if (PARAGRAPH_TAGS.has(tag)) builder.ensureBreaks(2);
  else if (LIST_TAGS.has(tag)) applyListTag(builder, lists, tag, closing);
  else if (tag === 'li') applyListItem(builder, lists, closing);
  else if (CELL_TAGS.has(tag)) {
    if (!closing) builder.cellSeparator();
  } else if (LINE_TAGS.has(tag)) builder.ensureBreaks(1);
}

function applyListTag(builder: TextBuilder, lists: ListState[], tag: string, closing: boolean): void {
  // Nested lists continue the surrounding list instead of opening a new paragraph.
  builder.ensureBreaks(lists.length > (closing ? 1 : 0) ? 1 : 2);
  if (closing) lists.pop();
  else lists.push({ ordered: tag === 'ol', next: 1 });
}

function applyListItem(builder: TextBuilder, lists: ListState[], closing: boolean): void {
  builder.ensureBreaks(1);
  if (closing) return;
  const list = lists.at(-1);
  const indent = '  '.repeat(Math.max(lists.length - 1, 0));
  const marker = list?.ordered ? `${list.next++}. ` : '- ';
  builder.append(indent + marker, true);
}

// sanitize-html decodes every entity while parsing and re-escapes only these when serializing text.
function decodeSanitizedText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------------------------
// Text → HTML

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const URL_CANDIDATE = /(?<![\w/@])https?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?*_~]$/;

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** HTML for a plain-text message: blank lines separate paragraphs, single newlines become `<br>`, URLs are linked. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.replace(/^\n+|\s+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${paragraph.split('\n').map(linkify).join('<br>')}</p>`)
    .join('');
}

function linkify(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL_CANDIDATE)) {
    const url = trimUrl(match[0]);
    if (!URL.canParse(url)) continue;
    html += escapeHtml(line.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}" rel="${LINK_REL}" target="_blank">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(line.slice(last));
}

// Punctuation ending a sentence is not part of the URL, nor is a ")" closing a parenthesis opened before it.
function trimUrl(candidate: string): string {
  let url = candidate;
  while (TRAILING_PUNCTUATION.test(url) || (url.endsWith(')') && count(url, '(') < count(url, ')'))) {
    url = url.slice(0, -1);
  }
  return url;
}

function count(s: string, char: string): number {
  return s.split(char).length - 1;
}
