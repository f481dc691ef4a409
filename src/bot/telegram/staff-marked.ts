// Marked text (cases/marked.ts) as Telegram shows it: the reporter's words, cleaned of
// controls and unbalanced overrides, each inside a blockquote; Trustline's own lines
// outside. A counsellor sees at a glance which lines the reporter wrote, and a forged
// "✅ closed" line sits visibly inside the quote.
import type { MessageEntity } from 'grammy/types';
import { cleanReporterText, type Segment } from '../../cases/index.js';
import { splitRanges, TELEGRAM_TEXT_LIMIT } from './text.js';

export interface MarkedText {
  text: string;
  entities: MessageEntity[];
}

export function renderMarked(marked: readonly Segment[]): MarkedText {
  let text = '';
  const entities: MessageEntity[] = [];
  for (const segment of marked) {
    if (typeof segment === 'string') {
      text += segment;
      continue;
    }
    const words = cleanReporterText(segment.reporter);
    // Offsets and lengths are in UTF-16 code units, which is what JS strings count.
    if (words.length) entities.push({ type: 'blockquote', offset: text.length, length: words.length });
    text += words;
  }
  return { text, entities };
}

/** Splits like splitText, each part keeping the marks that fall in it. */
export function splitMarked(m: MarkedText, limit = TELEGRAM_TEXT_LIMIT): MarkedText[] {
  return splitRanges(m.text, limit).map(({ start, end }) => ({
    text: m.text.slice(start, end),
    entities: m.entities.flatMap((e) => {
      const from = Math.max(start, e.offset);
      const to = Math.min(end, e.offset + e.length);
      return to > from ? [{ ...e, offset: from - start, length: to - from }] : [];
    }),
  }));
}

/** The sendMessage options carrying the marks, when there are any. */
export function withEntities<T extends object>(m: MarkedText, options: T, field: 'entities' | 'caption_entities' = 'entities'): T {
  return m.entities.length ? { ...options, [field]: m.entities } : options;
}
