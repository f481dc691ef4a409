// What the WhatsApp adapter lets in, and how it names it for intake.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { WaMedia, WaMessageType } from '../../src/bot/whatsapp/client.js';
import { contentOf, guessLang } from '../../src/bot/whatsapp/content.js';
import { chatKindOf, lineAddress, parseLineAddress } from '../../src/bot/whatsapp/jid.js';
import { processTreeMemory } from '../../src/bot/whatsapp/memory.js';
import { ignoredBecause } from '../../src/bot/whatsapp/reporter.js';

describe('WhatsApp chats', () => {
  it('tells private chats from groups, status, channels and broadcasts', () => {
    expect(chatKindOf('77011234567@c.us')).toBe('private');
    expect(chatKindOf('123456789012345@lid')).toBe('private');
    expect(chatKindOf('120363025246125486@g.us')).toBe('group');
    expect(chatKindOf('status@broadcast')).toBe('status');
    expect(chatKindOf('120363170051281234@newsletter')).toBe('newsletter');
    expect(chatKindOf('1623456789@broadcast')).toBe('broadcast');
    expect(chatKindOf(undefined)).toBe('other');
    expect(chatKindOf('0@s.whatsapp.net')).toBe('other');
  });

  it('ignores its own messages and status updates even in a private chat', () => {
    const base = { from: '77011234567@c.us', fromMe: false, isStatus: false, id: { fromMe: false, _serialized: 'x' } };
    expect(ignoredBecause(base)).toBeUndefined();
    expect(ignoredBecause({ ...base, fromMe: true })).toBe('own');
    expect(ignoredBecause({ ...base, id: { fromMe: true, _serialized: 'x' } })).toBe('own');
    expect(ignoredBecause({ ...base, isStatus: true })).toBe('status');
    expect(ignoredBecause({ ...base, from: '120363025246125486@g.us' })).toBe('group');
  });

  it('keeps the line in the return address, so answers leave from the same number', () => {
    const address = lineAddress('line2', '77011234567@c.us');
    expect(parseLineAddress(address)).toEqual({ line: 'line2', jid: '77011234567@c.us' });
    expect(parseLineAddress('no-separator')).toBeUndefined();
    expect(parseLineAddress(':77011234567@c.us')).toBeUndefined();
  });
});

describe('WhatsApp content', () => {
  const msg = (type: WaMessageType, body: string, media?: WaMedia) => ({
    type,
    body,
    hasMedia: media !== undefined,
    downloadMedia: async () => media,
  });

  it('passes text on and names media the way the catalogs do', () => {
    expect(contentOf(msg('chat', 'hello'))).toEqual({ kind: 'text', text: 'hello' });
    expect(contentOf(msg('vcard', ''))).toEqual({ kind: 'unsupported', media: 'contact' });
    expect(contentOf(msg('sticker', ''))).toEqual({ kind: 'unsupported', media: 'sticker' });
    expect(contentOf(msg('poll_creation', 'poll?'))).toEqual({ kind: 'unsupported', media: 'other', caption: 'poll?' });
    // media whose file is gone from the phone cannot be evidence
    expect(contentOf(msg('image', 'screenshot'))).toEqual({ kind: 'unsupported', media: 'photo', caption: 'screenshot' });
  });

  it('takes photos, voice notes, audio, video and documents as evidence, downloaded only when asked', async () => {
    const jpeg = Buffer.from('not really a jpeg');
    const photo = contentOf(msg('image', 'screenshot', { mimetype: 'image/jpeg', data: jpeg.toString('base64') }));
    expect(photo).toMatchObject({ kind: 'file', media: 'photo', caption: 'screenshot' });
    // The type and name come with the bytes: cleaning needs the type (see src/evidence).
    const got = await (photo as { download: () => Promise<{ bytes: Uint8Array; mime?: string; name?: string }> }).download();
    expect(Buffer.from(got.bytes)).toEqual(jpeg);
    expect(got.mime).toBe('image/jpeg');
    const doc = contentOf(msg('document', '', { mimetype: 'application/pdf', data: jpeg.toString('base64'), filename: 'Aigerim.pdf' }));
    expect(await (doc as { download: () => Promise<unknown> }).download()).toMatchObject({ mime: 'application/pdf', name: 'Aigerim.pdf' });
    for (const [type, media] of [
      ['ptt', 'voice'],
      ['audio', 'audio'],
      ['video', 'video'],
      ['document', 'document'],
    ] as const) {
      expect(contentOf(msg(type, ' ', { mimetype: 'x/y', data: 'AAAA' }))).toMatchObject({ kind: 'file', media });
    }
    const gone = contentOf({ type: 'image', body: '', hasMedia: true, downloadMedia: async () => undefined });
    await expect((gone as { download: () => Promise<Uint8Array> }).download()).rejects.toThrow(/no longer/);
  });

  it('answers nothing to WhatsApp’s own bookkeeping messages', () => {
    for (const type of ['revoked', 'e2e_notification', 'notification_template', 'call_log', 'ciphertext', 'protocol', 'reaction', 'gp2'] as const) {
      expect(contentOf(msg(type, ''))).toBeUndefined();
    }
  });

  it('guesses the language of a new case from its first text', () => {
    expect(guessLang('Сәлеметсіз бе, маған көмек керек')).toBe('kk');
    expect(guessLang('Здравствуйте, мне нужна помощь')).toBe('ru');
    expect(guessLang('Hello, I need help')).toBe('en');
    expect(guessLang('Hello, мне нужна помощь')).toBe('ru');
    expect(guessLang('12345 !!!')).toBe('ru');
    expect(guessLang(undefined)).toBe('ru');
  });
});

describe('process tree memory', () => {
  it('sums a process and its children (as Chromium runs: one browser, many helpers)', async () => {
    // a parent holding ~64 MiB with two children
    const script =
      "const b = Buffer.alloc(64 * 1024 * 1024, 1); const { spawn } = require('node:child_process'); for (let i = 0; i < 2; i++) spawn('sleep', ['30']); setTimeout(() => b.length, 30000); console.log('up');";
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    try {
      await new Promise<void>((resolve) => parent.stdout.once('data', () => resolve()));
      const sample = await processTreeMemory(parent.pid!);
      expect(sample?.processes).toBe(3);
      expect(sample!.rssBytes).toBeGreaterThan(64 * 1024 * 1024);
      expect(sample!.pssBytes).toBeGreaterThan(32 * 1024 * 1024);
    } finally {
      process.kill(-parent.pid!, 'SIGKILL');
    }
    expect(await processTreeMemory(2 ** 22 + 12345)).toBeUndefined(); // no such process
  });
});
