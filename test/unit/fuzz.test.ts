// Bad input, fuzzed (fast-check): whatever a platform, a reporter or an admin sends, the
// code that takes it in answers, never throws, and never gets stuck. Fixed seed here
// (reproducible in CI); `npm run fuzz` runs many more cases (FUZZ_RUNS, FUZZ_SEED).
import fc from 'fast-check';
import type { Message, Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { advance, interrupt, stepOf, type Input } from '../../src/flows/flow.js';
import { intakeFlow } from '../../src/flows/intake-flow.js';
import { optionWords, promptFor } from '../../src/flows/prompts.js';
import { parseCommand, unknownCommand } from '../../src/flows/commands.js';
import { parseResume } from '../../src/flows/resume.js';
import { newConversation, type Conversation } from '../../src/store/conversation.js';
import { contentOf as telegramContent } from '../../src/bot/telegram/reporter.js';
import { orderKey } from '../../src/bot/telegram/polling.js';
import { contentOf as whatsappContent } from '../../src/bot/whatsapp/content.js';
import { parseDate, parseDays, parseDuration, parseLangs, parseTimeRange } from '../../src/shared/command-args.js';
import { parseLabel, parseStatus } from '../../src/cases/index.js';
import { normalizeCaseCode } from '../../src/crypto/case-code.js';
import { parseCsvRoster, parseYamlRoster, RosterFileError } from '../../src/cli/roster-file.js';
import type { WaMessageType } from '../../src/bot/whatsapp/client.js';

const runs = { seed: Number(process.env.FUZZ_SEED ?? 20261208), numRuns: Number(process.env.FUZZ_RUNS ?? 200) };
/** Text as people and platforms send it: any unicode, numbers, commands, long runs, blanks. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: -3, max: 40 }).map(String),
  fc.constantFrom('/cancel', '/language', '/start', '/help', '/status', '/rights', '/report', '/new', '  ', '', '\u200b', '1', 'да', 'иә', 'send'),
  fc.string({ maxLength: 5 }).map((s) => s.repeat(2_000)),
);

describe('fuzzed input', () => {
  it('the intake engine: random answers, buttons, side questions and back at every step never throw or strand a reporter', () => {
    const steps = Object.keys(intakeFlow.steps);
    const action = fc.oneof(
      text.map((t): { kind: 'input'; input: Input } => ({ kind: 'input', input: { kind: 'text', text: t } })),
      fc
        .tuple(fc.constantFrom(...steps), fc.string({ maxLength: 12 }))
        .map(([step, value]): { kind: 'input'; input: Input } => ({ kind: 'input', input: { kind: 'choice', step, value } })),
      fc.nat(20).map((i) => ({ kind: 'option' as const, i })),
      fc.constantFrom('language', 'confirm-cancel', 'resume').map((step) => ({ kind: 'aside' as const, step })),
    );
    fc.assert(
      fc.property(fc.constantFrom('kk' as const, 'ru' as const, 'en' as const), fc.array(action, { maxLength: 40 }), (lang, actions) => {
        let c: Conversation = newConversation({ channel: 'telegram', lang, step: intakeFlow.start, returnAddress: Buffer.alloc(0), now: 0 });
        for (const a of actions) {
          if (a.kind === 'aside') {
            c = interrupt(c, a.step);
            continue;
          }
          const step = stepOf(intakeFlow, c.step);
          const input: Input =
            a.kind === 'option' ? { kind: 'choice', step: c.step, value: step.options[a.i % Math.max(1, step.options.length)] ?? 'x' } : a.input;
          const { c: next, result } = advance(intakeFlow, c, input, optionWords);
          expect(['moved', 'collected', 'invalid', 'stale', 'action', 'ended']).toContain(result.type);
          // An action ends this conversation (sent, cancelled, a consultation...): the host takes over.
          if (result.type === 'action') return;
          c = next;
          // Never stuck: every step the reporter can be at is asked with a way on.
          expect(steps).toContain(c.step);
          const prompt = promptFor(intakeFlow, c, { emergencyNumbers: ['112'], evidence: { maxBytes: 1, maxFiles: 1 } });
          expect(prompt.text.length).toBeGreaterThan(0);
          expect(stepOf(intakeFlow, c.step).kind === 'text' || (prompt.menu?.options.length ?? 0) > 0).toBe(true);
        }
      }),
      runs,
    );
  });

  it('the argument parsers take any text: a valid value or none, never an exception', () => {
    fc.assert(
      fc.property(text, (t) => {
        const d = parseDuration(t);
        if (d !== undefined) expect(d).toBeGreaterThan(0);
        const r = parseTimeRange(t);
        if (r) expect([r.start, r.end].every((m) => m >= 0 && m < 24 * 60)).toBe(true);
        parseDays(t);
        parseDate(t, { y: 2026, m: 12, d: 8 });
        parseLangs(t);
        parseStatus(t);
        parseLabel(t);
        const code = normalizeCaseCode(t);
        if (code) expect(code).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
        parseResume(t);
        const command = parseCommand(t);
        if (command) expect(unknownCommand(t)).toBeUndefined();
      }),
      runs,
    );
  });

  it('a roster file with random bad rows is refused whole, every problem naming its row, or read whole', () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'yes', 'no', 'admin', 'counsellor', 'kk,ru', 'xx', '09:00-18:00', '25:00-26:00', '@name'),
      fc.string({ maxLength: 12 }).filter((s) => !/[",\n\r]/.test(s)),
    );
    const row = fc.tuple(fc.oneof(fc.nat(1e9).map(String), cell), cell, cell, cell, cell, cell, cell);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const csv = ['telegram_id,name,role,languages,mon,tue,active', ...rows.map((r) => r.join(','))].join('\n');
        try {
          const roster = parseCsvRoster(csv);
          expect(roster.staff.length).toBe(rows.length);
        } catch (err) {
          expect(err).toBeInstanceOf(RosterFileError);
          for (const p of (err as RosterFileError).problems) expect(p).toMatch(/^(row \d+|not valid CSV|staff \d+)/);
        }
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (yaml) => {
        try {
          parseYamlRoster(yaml);
        } catch (err) {
          expect(err).toBeInstanceOf(RosterFileError);
        }
      }),
      runs,
    );
  });

  it('Telegram messages and updates of any shape are read without an exception: unknown fields, no sender, huge text, odd entities', () => {
    const message = fc.record(
      {
        message_id: fc.nat(),
        date: fc.nat(),
        chat: fc.record({ id: fc.integer(), type: fc.constantFrom('private', 'group', 'supergroup', 'channel') }),
        from: fc.record({ id: fc.integer(), is_bot: fc.boolean(), first_name: fc.string() }),
        text: text,
        caption: text,
        entities: fc.array(fc.record({ type: fc.string({ maxLength: 12 }), offset: fc.integer(), length: fc.integer() }), { maxLength: 4 }),
        photo: fc.array(fc.record({ file_id: fc.string(), file_unique_id: fc.string(), width: fc.nat(), height: fc.nat(), file_size: fc.option(fc.nat()) }), {
          maxLength: 3,
        }),
        document: fc.record({ file_id: fc.string(), file_unique_id: fc.string(), file_name: fc.string(), mime_type: fc.string(), file_size: fc.nat() }),
        sticker: fc.record({ file_id: fc.string() }),
        location: fc.record({ latitude: fc.double(), longitude: fc.double() }),
        message_thread_id: fc.integer(),
        is_topic_message: fc.boolean(),
        unknown_field: fc.anything(),
      },
      { requiredKeys: ['message_id', 'date', 'chat'] },
    );
    fc.assert(
      fc.property(
        message,
        fc.boolean(),
        fc.constantFrom('message', 'edited_message', 'channel_post', 'callback_query', 'my_chat_member', 'poll'),
        (m, edited, kind) => {
          const content = telegramContent(m as unknown as Message, edited);
          expect(['text', 'edit', 'file', 'unsupported', 'choice']).toContain(content.kind);
          const update = {
            update_id: 1,
            [kind]: kind === 'callback_query' ? { id: 'x', from: m.from ?? { id: 1 }, message: m, data: 'a:b' } : m,
          } as unknown as Update;
          expect(typeof orderKey(update)).toBe('string');
        },
      ),
      runs,
    );
  });

  it('WhatsApp messages of every type, with or without media, are read without an exception', () => {
    const types: WaMessageType[] = [
      'chat',
      'image',
      'video',
      'audio',
      'ptt',
      'document',
      'sticker',
      'location',
      'vcard',
      'multi_vcard',
      'revoked',
      'e2e_notification',
      'unknown',
    ] as WaMessageType[];
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...types), fc.string({ maxLength: 12 }) as fc.Arbitrary<WaMessageType>),
        text,
        fc.boolean(),
        (type, body, hasMedia) => {
          const content = whatsappContent({ type, body, hasMedia, downloadMedia: async () => undefined });
          if (content) expect(['text', 'file', 'unsupported']).toContain(content.kind);
        },
      ),
      runs,
    );
  });
});
