import { GrammyError, BotError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../support/log-sink.js';

const SECRET_TEXT = 'my supervisor touched me at the lab';
const CHAT_ID = 987654321;

describe('log redaction', () => {
  it("drops GrammyError.payload (the failed request's text and chat_id)", () => {
    const { log, lines } = captureLog();
    const err = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 'sendMessage', {
      chat_id: CHAT_ID,
      text: SECRET_TEXT,
    });
    log.error({ err }, 'send failed');
    const out = lines.join('\n');
    expect(out).toContain('sendMessage');
    expect(out).toContain('"error_code":400');
    expect(out).not.toContain(SECRET_TEXT);
    expect(out).not.toContain(String(CHAT_ID));
  });

  it('does not follow BotError into its context (the whole update)', () => {
    const { log, lines } = captureLog();
    const ctx = { update: { message: { text: SECRET_TEXT, chat: { id: CHAT_ID } } } };
    const err = new BotError(new Error('boom'), ctx as never);
    log.error({ err }, 'middleware failed');
    const out = lines.join('\n');
    expect(out).toContain('boom');
    expect(out).not.toContain(SECRET_TEXT);
    expect(out).not.toContain(String(CHAT_ID));
  });

  it('redacts text, identities and payloads logged by mistake', () => {
    const { log, records } = captureLog();
    log.info({ text: SECRET_TEXT, from: { id: CHAT_ID, username: 'aigerim_k' }, msg2: { chat: { id: CHAT_ID } }, payload: { text: SECRET_TEXT } });
    const out = JSON.stringify(records());
    expect(out).not.toContain(SECRET_TEXT);
    expect(out).not.toContain('aigerim_k');
    expect(out).not.toContain(String(CHAT_ID));
  });

  it('scrubs bot tokens and long numbers out of error messages', () => {
    const { log, lines } = captureLog();
    log.error({ err: new Error(`GET https://api.telegram.org/bot123456:AAAbbbCCCdddEEEfffGGG/getMe for chat ${CHAT_ID}`) });
    const out = lines.join('\n');
    expect(out).not.toContain('AAAbbbCCCdddEEEfffGGG');
    expect(out).not.toContain(String(CHAT_ID));
  });
});
