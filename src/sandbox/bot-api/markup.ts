// parse_mode parsers (HTML, MarkdownV2, legacy Markdown). They exist so that bad markup
// fails here the way it fails on Telegram ("can't parse entities: …", unescaped '.' in
// MarkdownV2 being the classic), and so the 4096 limit is measured after parsing.
// Offsets are UTF-16 code units, like Telegram's MessageEntity offsets.
import type { MessageEntity } from 'grammy/types';
import { badRequest, type ApiError } from './params.js';

export interface Parsed {
  text: string;
  entities: MessageEntity[];
}

interface Open {
  type: string;
  start: number;
  /** where it started in the source, for error messages */
  at: number;
  extra?: Partial<MessageEntity>;
}

const parseError = (what: string): ApiError => badRequest(`can't parse entities: ${what}`);
const byteOffset = (src: string, i: number): number => Buffer.byteLength(src.slice(0, i));

function close(open: Open, end: number, out: MessageEntity[]): void {
  if (end > open.start) {
    out.push({ offset: open.start, length: end - open.start, type: open.type, ...open.extra } as MessageEntity);
  }
}

// ---------- HTML ----------

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function htmlAttr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? decodeHtml(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function decodeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return HTML_ENTITIES[name.toLowerCase()] ?? all;
  });
}

function openHtmlTag(name: string, attrs: string, start: number, at: number, src: string): Open {
  const type = HTML_TAGS[name];
  if (!type || (name === 'span' && htmlAttr(attrs, 'class') !== 'tg-spoiler')) {
    throw parseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(src, at)}`);
  }
  if (type === 'text_link') return { type, start, at, extra: { url: htmlAttr(attrs, 'href') ?? '' } };
  if (type === 'custom_emoji') return { type, start, at, extra: { custom_emoji_id: htmlAttr(attrs, 'emoji-id') ?? '' } };
  if (type === 'blockquote' && /\bexpandable\b/i.test(attrs)) return { type: 'expandable_blockquote', start, at };
  if (type === 'code') {
    const lang = htmlAttr(attrs, 'class')?.match(/^language-(.+)$/)?.[1];
    return lang ? { type, start, at, extra: { language: lang } } : { type, start, at };
  }
  return { type, start, at };
}

export function parseHtml(src: string): Parsed {
  const entities: MessageEntity[] = [];
  const stack: (Open & { tag: string })[] = [];
  let text = '';
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const chunkEnd = lt === -1 ? src.length : lt;
    text += decodeHtml(src.slice(i, chunkEnd));
    if (lt === -1) break;
    const gt = src.indexOf('>', lt);
    const m = gt === -1 ? null : /^<(\/?)([a-zA-Z][\w-]*)([^>]*)>$/.exec(src.slice(lt, gt + 1));
    if (!m) throw parseError(`Unexpected end of name token at byte offset ${byteOffset(src, lt)}`);
    const [, slash, rawName = '', attrs = ''] = m;
    const name = rawName.toLowerCase();
    if (slash) {
      const top = stack.pop();
      if (!top || top.tag !== name) {
        const expected = top ? `, expected "</${top.tag}>"` : '';
        throw parseError(`Unmatched end tag at byte offset ${byteOffset(src, lt)}${expected}, found "</${name}>"`);
      }
      // <pre><code class="language-x"> is one pre entity with a language
      const inner = entities.at(-1);
      if (top.type === 'pre' && inner?.type === 'code' && inner.offset === top.start && inner.offset + inner.length === text.length) {
        entities.pop();
        // a code entity has no language in the Bot API's types; the parser put one there
        const { language } = inner as { language?: string };
        if (language) top.extra = { language };
      }
      close(top, text.length, entities);
    } else {
      stack.push({ ...openHtmlTag(name, attrs, text.length, lt, src), tag: name });
    }
    i = gt + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

// ---------- MarkdownV2 ----------

const V2_RESERVED = '_*[]()~`>#+-=|{}.!';
const V2_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  blockquote: 'BlockQuote',
};

/** Reads `(url)` after `]`; inside it only `)` and `\` need escaping. */
function readLinkUrl(src: string, i: number): { url: string; next: number } | undefined {
  if (src[i] !== '(') return undefined;
  let url = '';
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j]!;
    if (c === '\\' && j + 1 < src.length) url += src[++j];
    else if (c === ')') return { url, next: j + 1 };
    else url += c;
  }
  return undefined;
}

/** Reads a `code` or ```pre``` span verbatim (only ` and \ are escapable inside). */
function readCode(src: string, i: number, fence: string): { body: string; next: number } | undefined {
  let body = '';
  for (let j = i; j < src.length; j++) {
    if (src[j] === '\\' && j + 1 < src.length) body += src[++j];
    else if (src.startsWith(fence, j)) return { body, next: j + fence.length };
    else body += src[j];
  }
  return undefined;
}

export function parseMarkdownV2(src: string): Parsed {
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  let text = '';
  let quote: Open | undefined;
  const toggle = (type: string, at: number): void => {
    if (stack.at(-1)?.type === type) close(stack.pop()!, text.length, entities);
    else stack.push({ type, start: text.length, at });
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const lineStart = i === 0 || src[i - 1] === '\n';
    if (lineStart && c === '>') {
      quote ??= { type: 'blockquote', start: text.length, at: i };
      i++;
      continue;
    }
    if (lineStart && quote && c !== '>') {
      close(quote, text.replace(/\n$/, '').length, entities);
      quote = undefined;
    }
    if (c === '\\' && i + 1 < src.length) {
      text += src[i + 1];
      i += 2;
    } else if (src.startsWith('```', i)) {
      const code = readCode(src, i + 3, '```');
      if (!code) throw parseError(`Can't find end of Pre entity at byte offset ${byteOffset(src, i)}`);
      const nl = code.body.indexOf('\n');
      const lang = nl > 0 ? code.body.slice(0, nl).trim() : '';
      const body = lang ? code.body.slice(nl + 1) : code.body;
      close({ type: 'pre', start: text.length, at: i, ...(lang ? { extra: { language: lang } } : {}) }, text.length + body.length, entities);
      text += body;
      i = code.next;
    } else if (c === '`') {
      const code = readCode(src, i + 1, '`');
      if (!code) throw parseError(`Can't find end of Code entity at byte offset ${byteOffset(src, i)}`);
      close({ type: 'code', start: text.length, at: i }, text.length + code.body.length, entities);
      text += code.body;
      i = code.next;
    } else if (src.startsWith('||', i)) {
      toggle('spoiler', i);
      i += 2;
    } else if (src.startsWith('__', i)) {
      toggle('underline', i);
      i += 2;
    } else if (c === '_' || c === '*' || c === '~') {
      toggle(c === '_' ? 'italic' : c === '*' ? 'bold' : 'strikethrough', i);
      i += 1;
    } else if (c === '[' || (c === '!' && src[i + 1] === '[')) {
      stack.push({ type: c === '!' ? 'custom_emoji' : 'text_link', start: text.length, at: i });
      i += c === '!' ? 2 : 1;
    } else if (c === ']' && ['text_link', 'custom_emoji'].includes(stack.at(-1)?.type ?? '')) {
      const link = readLinkUrl(src, i + 1);
      if (!link) throw parseError(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
      const open = stack.pop()!;
      const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(link.url)?.[1];
      open.extra = open.type === 'custom_emoji' ? { custom_emoji_id: id ?? '' } : { url: link.url };
      close(open, text.length, entities);
      i = link.next;
    } else if (V2_RESERVED.includes(c)) {
      throw parseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    } else {
      text += c;
      i += 1;
    }
  }
  if (quote) close(quote, text.length, entities);
  const open = stack.pop();
  if (open) {
    const name = V2_NAMES[open.type] ?? 'TextUrl';
    throw parseError(`Can't find end of ${name} entity at byte offset ${byteOffset(src, open.at)}`);
  }
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

// ---------- legacy Markdown ----------

export function parseMarkdown(src: string): Parsed {
  const entities: MessageEntity[] = [];
  let text = '';
  let i = 0;
  const fail = (at: number): never => {
    throw parseError(`Can't find end of the entity starting at byte offset ${byteOffset(src, at)}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && '_*`['.includes(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    const fence = src.startsWith('```', i) ? '```' : c;
    if (fence === '```' || c === '*' || c === '_' || c === '`') {
      const end = src.indexOf(fence, i + fence.length);
      if (end === -1) fail(i);
      const body = src.slice(i + fence.length, end);
      const type = fence === '```' ? 'pre' : c === '*' ? 'bold' : c === '_' ? 'italic' : 'code';
      close({ type, start: text.length, at: i }, text.length + body.length, entities);
      text += body;
      i = end + fence.length;
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      const link = end === -1 ? undefined : readLinkUrl(src, end + 1);
      if (!link) fail(i);
      const body = src.slice(i + 1, end);
      close({ type: 'text_link', start: text.length, at: i, extra: { url: link!.url } }, text.length + body.length, entities);
      text += body;
      i = link!.next;
    } else {
      text += c;
      i += 1;
    }
  }
  return { text, entities };
}
