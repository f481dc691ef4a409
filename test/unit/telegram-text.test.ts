import { describe, expect, it } from 'vitest';
import { splitText, TELEGRAM_TEXT_LIMIT } from '../../src/bot/telegram/text.js';

describe('splitText', () => {
  it('keeps a 4096-character text whole', () => {
    const text = 'а'.repeat(TELEGRAM_TEXT_LIMIT);
    expect(splitText(text)).toEqual([text]);
  });

  it('splits longer text at a word boundary, losing nothing but the break', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `сөз${i}`);
    const parts = splitText(words.join(' '));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });

  it('never cuts a surrogate pair (emoji) in half', () => {
    const text = '😢'.repeat(3000); // 6000 UTF-16 units, no spaces
    const parts = splitText(text);
    for (const p of parts) expect(p).toMatch(/^(😢)+$/u);
    expect(parts.join('')).toBe(text);
  });
});
