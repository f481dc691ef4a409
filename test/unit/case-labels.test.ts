// What a label may be, and the /cases page buttons: a label is one word, the same however
// it was typed; a page button carries only a paged command and its words, within
// Telegram's 64 bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_MAX_LENGTH, parseLabel } from '../../src/cases/labels.js';
import { pageAsked, pageButtons } from '../../src/bot/telegram/staff-buttons.js';

describe('parseLabel', () => {
  it('takes one word of letters, digits, - and _, in lower case, with or without #', () => {
    expect(parseLabel('Referred')).toBe('referred');
    expect(parseLabel('#needs-follow-up')).toBe('needs-follow-up');
    expect(parseLabel('жалоба_2026')).toBe('жалоба_2026');
    expect(parseLabel('шағым')).toBe('шағым');
  });

  it('refuses what is not one word', () => {
    for (const bad of [undefined, '', '#', '-lead', 'two words', 'a/b', 'x'.repeat(LABEL_MAX_LENGTH + 1), '<b>', 'emoji🙂'])
      expect(parseLabel(bad)).toBeUndefined();
  });

  it('gives what it accepts back unchanged: a label is the same however often it is typed', () => {
    fc.assert(
      fc.property(fc.string(), (word) => {
        const label = parseLabel(word);
        if (label === undefined) return;
        expect(parseLabel(label)).toBe(label);
        expect(label.length).toBeLessThanOrEqual(LABEL_MAX_LENGTH);
        expect(label).not.toMatch(/\s/);
      }),
    );
  });
});

describe('page buttons', () => {
  it('offers ◀ and ▶ around the page, and reads back as the command for that page', () => {
    const markup = pageButtons({ page: 2, count: 3, command: 'cases label referred' })!;
    const row = markup.inline_keyboard[0]!;
    expect(row.map((b) => b.text)).toEqual(['◀', '2/3', '▶']);
    const data = row.map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(data.map((d) => pageAsked(d))).toEqual([1, 2, 3].map((page) => ({ name: 'cases', text: 'label referred', page })));
  });

  it('leaves out a command too long for a button, and never runs a command that is not paged', () => {
    expect(pageButtons({ page: 1, count: 2, command: `cases label ${'ж'.repeat(32)}` })).toBeUndefined();
    expect(pageAsked('pg:1:erase K7Q-4FD')).toBeUndefined();
    expect(pageAsked('case:K7Q-4FD')).toBeUndefined();
    expect(pageAsked('pg:x:cases')).toBeUndefined();
  });
});
