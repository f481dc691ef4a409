// Telegram refuses texts over 4096 UTF-16 units; long reports are split, preferably
// at a paragraph, line or word boundary, never inside a surrogate pair.
export const TELEGRAM_TEXT_LIMIT = 4096;
/** A caption's limit, in characters. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  return splitRanges(text, limit).map(({ start, end }) => text.slice(start, end));
}

/** Where splitText cuts: each part as [start, end) of the text, so marks can follow their words. */
export function splitRanges(text: string, limit = TELEGRAM_TEXT_LIMIT): { start: number; end: number }[] {
  const parts: { start: number; end: number }[] = [];
  let from = 0;
  while (text.length - from > limit) {
    const rest = text.slice(from);
    let cut = Math.max(rest.lastIndexOf('\n\n', limit), rest.lastIndexOf('\n', limit), rest.lastIndexOf(' ', limit));
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep a surrogate pair together
    parts.push({ start: from, end: from + rest.slice(0, cut).trimEnd().length });
    const next = rest.slice(cut);
    from += cut + (next.length - next.replace(/^[ \n]+/, '').length);
  }
  if (text.length > from || parts.length === 0) parts.push({ start: from, end: text.length });
  return parts;
}
