// Every question, option and notice of the intake exists in Kazakh, Russian and English,
// formats without errors, and fits the channels (Telegram callback data, a phone screen).
import { readFileSync } from 'node:fs';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { catalogIds, t } from '../../src/i18n/i18n.js';
import { intakeFlow } from '../../src/flows/intake-flow.js';
import { newConversation } from '../../src/store/conversation.js';
import { emergencyList, promptFor } from '../../src/flows/prompts.js';
import { renderAsText } from '../../src/flows/reply.js';
import { callbackData, keyboardOf, parseCallbackData, telegramMessages } from '../../src/bot/telegram/prompt.js';
import en from '../../src/i18n/locales/en/intake.js';
import kk from '../../src/i18n/locales/kk/intake.js';
import ru from '../../src/i18n/locales/ru/intake.js';
import { languages } from '../../src/shared/ids.js';

const settings = { emergencyNumbers: ['112', '102', '103', '111', '150'], evidence: { maxBytes: 20 * 1024 * 1024, maxFiles: 10 } };

describe('intake catalogs', () => {
  it('hold a question for every step and a label for every option, in all three languages', () => {
    for (const lang of languages) {
      const ids = new Set(catalogIds(lang));
      for (const [step, def] of Object.entries(intakeFlow.steps)) {
        expect(ids.has(`ask-${step}`), `${lang}: ask-${step}`).toBe(true);
        for (const value of def.options) expect(ids.has(`opt-${step}-${value}`), `${lang}: opt-${step}-${value}`).toBe(true);
      }
    }
  });

  it('hold every message id the code names', () => {
    const source = readFileSync('src/i18n/i18n.ts', 'utf8');
    const union = source.slice(source.indexOf('export type IntakeMessageId'), source.indexOf(';', source.indexOf('export type IntakeMessageId')));
    const named = [...union.matchAll(/\| '([a-z-]+)'/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(30);
    for (const lang of languages) {
      const ids = new Set(catalogIds(lang));
      for (const id of named) expect(ids.has(id), `${lang}: ${id}`).toBe(true);
    }
  });

  it('format every message without Fluent errors (no unknown references or variables)', () => {
    const args = {
      code: 'K7Q-4FD',
      next: 'none',
      others: 'M3X-9PA',
      numbers: '112',
      count: 2,
      max: 10,
      limit: '20 MB',
      size: '30 MB',
      kind: 'sticker',
      passphrase: 'a b c d',
      left: 3,
      hours: 5,
      summary: '…',
      status: 'new',
      answers: 1,
      stage: 'new',
      due: '30 May',
      from: '22:00',
      to: '08:00',
      urgent: 'yes',
      complete: 'no',
      event: 'urgent',
      media: 'photo',
      key: 'n112',
      number: '112',
      questions: 'When, Where',
      command: 'stauts',
      reason: 'forget',
      neutral: 0,
      contacts: 'none',
    };
    for (const [lang, source] of [
      ['en', en],
      ['ru', ru],
      ['kk', kk],
    ] as const) {
      const bundle = new FluentBundle(lang, { useIsolating: false });
      expect(bundle.addResource(new FluentResource(source))).toEqual([]);
      for (const id of catalogIds(lang)) {
        const message = bundle.getMessage(id);
        if (!message?.value) continue; // relay catalog ids live in the other resource
        const errors: Error[] = [];
        bundle.formatPattern(message.value, args, errors);
        expect(
          errors.map((e) => e.message),
          `${lang}: ${id}`,
        ).toEqual([]);
      }
    }
  });

  it('name the emergency numbers and fall back to the bare number for one configured locally', () => {
    expect(emergencyList('ru', ['112', '150'])).toBe('112: единая служба спасения\n150: телефон доверия для детей и молодёжи');
    expect(emergencyList('kk', ['1414'])).toBe('1414');
    expect(t('en', 'urgent-alert', { numbers: emergencyList('en', settings.emergencyNumbers) })).toContain('103: ambulance');
  });
});

describe('rendering a question', () => {
  it('asks for the language in all three languages, the phone’s language first', () => {
    const c = newConversation({ channel: 'telegram', lang: 'kk', step: 'language', returnAddress: Buffer.alloc(0), now: 0 });
    const reply = promptFor(intakeFlow, c, settings);
    expect(reply.text.split('\n')).toEqual(['Тілді таңдаңыз:', 'Выберите язык:', 'Choose your language:']);
    expect(reply.menu?.options.map((o) => o.label)).toEqual(['Қазақша', 'Русский', 'English']);
  });

  it('as a numbered menu for text channels', () => {
    const c = newConversation({ channel: 'whatsapp', lang: 'ru', step: 'danger', returnAddress: Buffer.alloc(0), now: 0 });
    expect(renderAsText(promptFor(intakeFlow, c, settings), 'ru')).toBe('Вы сейчас в опасности?\n\n1. Да, я в опасности\n2. Нет\nОтветьте номером.');
  });

  it('as Telegram buttons whose callback data stays under 64 bytes and parses back', () => {
    for (const [step, def] of Object.entries(intakeFlow.steps)) {
      for (const value of def.options) {
        const data = callbackData(step, value);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(parseCallbackData(data)).toEqual({ step, value });
      }
    }
    expect(parseCallbackData('claim')).toBeUndefined();
    const c = newConversation({ channel: 'telegram', lang: 'en', step: 'contact', returnAddress: Buffer.alloc(0), now: 0 });
    expect(keyboardOf(promptFor(intakeFlow, c, settings))?.inline_keyboard).toEqual([
      [{ text: 'Stay anonymous', callback_data: 'contact:anonymous' }],
      [{ text: 'Share a name or contact', callback_data: 'contact:share' }],
    ]);
  });

  it('splits a long review for Telegram and keeps the buttons under its last part', () => {
    const c = newConversation({ channel: 'telegram', lang: 'en', step: 'review', returnAddress: Buffer.alloc(0), now: 0 });
    c.account = ['word '.repeat(1500)];
    const messages = telegramMessages(promptFor(intakeFlow, c, settings));
    expect(messages.length).toBe(2);
    expect(messages[0]!.reply_markup).toBeUndefined();
    expect(messages[1]!.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Send', 'Change an answer', 'Delete and stop']);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(4096);
  });
});
