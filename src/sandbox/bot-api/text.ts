// Message text the way Telegram stores it: markup parsed, surrounding whitespace trimmed,
// limits checked in Unicode code points after parsing, and entities auto-detected.
// Auto-detection matters: grammY's bot.command() only matches a message whose
// `entities` contain a bot_command at offset 0, exactly as with real Telegram.
import type { MessageEntity } from 'grammy/types';
import { parseHtml, parseMarkdown, parseMarkdownV2, type Parsed } from './markup.js';
import { badRequest } from './params.js';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export interface FormattedText {
  text: string;
  entities?: MessageEntity[];
}

const DETECTORS: [MessageEntity['type'], RegExp][] = [
  ['url', /\b(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)'\]]/giu],
  ['email', /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/giu],
  ['bot_command', /(?<=^|\s)\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])/gu],
  ['mention', /(?<![\w@/])@[a-zA-Z0-9_]{5,32}\b/gu],
  ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*/gu],
];

const overlaps = (a: MessageEntity, b: MessageEntity): boolean => a.offset < b.offset + b.length && b.offset < a.offset + a.length;

/** Entities Telegram would find in plain text, skipping ranges already formatted. */
export function detectEntities(text: string, existing: MessageEntity[] = []): MessageEntity[] {
  const found: MessageEntity[] = [...existing];
  for (const [type, re] of DETECTORS) {
    for (const m of text.matchAll(re)) {
      const e = { offset: m.index, length: m[0].length, type } as MessageEntity;
      if (!found.some((f) => overlaps(f, e) && !isFormatting(f))) found.push(e);
    }
  }
  return found.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Style entities may wrap a link or command; link-like ones may not overlap each other. */
function isFormatting(e: MessageEntity): boolean {
  return ['bold', 'italic', 'underline', 'strikethrough', 'spoiler', 'blockquote', 'expandable_blockquote'].includes(e.type);
}

function parse(raw: string, mode: string | undefined): Parsed | undefined {
  switch (mode?.toLowerCase()) {
    case undefined:
    case '':
      return undefined;
    case 'html':
      return parseHtml(raw);
    case 'markdownv2':
      return parseMarkdownV2(raw);
    case 'markdown':
      return parseMarkdown(raw);
    default:
      throw badRequest(`unsupported parse_mode`);
  }
}

/** Trims whitespace like Telegram does, shifting and clamping entities to match. */
function trim(p: Parsed): Parsed {
  const lead = p.text.length - p.text.trimStart().length;
  const text = p.text.trim();
  const entities = p.entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(text.length, e.offset + e.length - lead);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text, entities };
}

export function codePointLength(s: string, stopAfter = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length && n <= stopAfter; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  return n;
}

/**
 * Parses text or a caption as Telegram would. Explicit `entities` win over parse_mode
 * (Telegram ignores parse_mode then). Throws Telegram's 400s for empty/long/bad markup.
 */
export function formatText(raw: string, opts: { parseMode?: string; entities?: MessageEntity[]; kind: 'text' | 'caption' }): FormattedText {
  const parsed: Parsed = opts.entities
    ? { text: raw, entities: opts.entities.filter((e) => e.offset >= 0 && e.length > 0 && e.offset + e.length <= raw.length) }
    : (parse(raw, opts.parseMode) ?? { text: raw, entities: [] });
  const { text, entities } = trim(parsed);
  const limit = opts.kind === 'text' ? TEXT_LIMIT : CAPTION_LIMIT;
  if (opts.kind === 'text' && text.length === 0) throw badRequest('message text is empty');
  if (text.length > limit && codePointLength(text, limit) > limit) {
    throw badRequest(opts.kind === 'text' ? 'message is too long' : 'message caption is too long');
  }
  const all = detectEntities(text, entities);
  return all.length > 0 ? { text, entities: all } : { text };
}
