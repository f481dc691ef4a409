// `trustline whatsapp login <line>` with a fake WhatsApp: QR in the terminal, success
// reported, and the line's lock respected.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineLockName } from '../../src/bot/whatsapp/line-lease.js';
import { runWhatsApp } from '../../src/cli/whatsapp.js';
import { tryLease } from '../../src/store/lock.js';
import { FakeWhatsApp, until } from '../support/fake-whatsapp.js';
import { redisForFile } from '../support/redis.js';

const db = redisForFile();

function terminal() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  return { out, err, stdout: () => stdout, stderr: () => stderr };
}

const env = (extra: Record<string, string> = {}) => ({
  WHATSAPP_NUMBERS: 'line1,line2',
  WHATSAPP_DATA_DIR: '/tmp/trustline-wa-login',
  WHATSAPP_LOCK_MS: '2000',
  ...extra,
});

describe('trustline whatsapp login', () => {
  it('shows the pairing QR code in the terminal and reports success once the phone scans it', async () => {
    const fake = new FakeWhatsApp();
    fake.line('line1').linked = false;
    const term = terminal();
    const running = runWhatsApp(['login', 'line1'], { ...term, env: env({ REDIS_URL: db.server.url }), createClient: fake.createClient, settleMs: 0 });
    await until(() => term.stdout().includes('Linked devices'), { label: 'QR shown' });
    expect(term.stdout()).toMatch(/[▀▄█]{10,}/); // a QR code drawn with block characters
    // while the QR is up, the line is locked: a hotline would not open the same profile
    expect(await db.client.exists(`tl:lock:${lineLockName('line1')}`)).toBe(1);
    fake.scan('line1');
    expect(await running).toBe(0);
    expect(term.stdout()).toContain('✓ line1 is linked');
    expect(term.stdout()).toContain('/tmp/trustline-wa-login/session-line1');
    expect(fake.line('line1').clients[0]!.destroyed).toBe(true); // browser closed, session kept
    expect(await db.client.exists(`tl:lock:${lineLockName('line1')}`)).toBe(0);
  });

  it('says so when the line is already linked', async () => {
    const fake = new FakeWhatsApp();
    const term = terminal();
    expect(await runWhatsApp(['login', 'line2'], { ...term, env: env(), createClient: fake.createClient, settleMs: 0 })).toBe(0);
    expect(term.stdout()).toContain('already linked');
  });

  it('waits for a running hotline to let go of the line, and gives up clearly', async () => {
    const fake = new FakeWhatsApp();
    const held = (await tryLease(db.client, lineLockName('line1'), 10_000))!;
    const term = terminal();
    const code = await runWhatsApp(['login', 'line1', '--wait', '1'], {
      ...term,
      env: env({ REDIS_URL: db.server.url }),
      createClient: fake.createClient,
      settleMs: 0,
    });
    expect(code).toBe(1);
    expect(term.stderr()).toMatch(/still in use by a running Trustline/);
    expect(fake.line('line1').clients).toHaveLength(0); // never opened the profile
    await held.release();
  });

  it('reports a failure to start WhatsApp Web and refuses phone numbers as line names', async () => {
    const fake = new FakeWhatsApp();
    fake.line('line1').failStarts = 1;
    const term = terminal();
    expect(await runWhatsApp(['login', 'line1'], { ...term, env: env(), createClient: fake.createClient, settleMs: 0 })).toBe(1);
    expect(term.stderr()).toMatch(/not linked: WhatsApp Web did not start/);
    expect(await runWhatsApp(['login', '+77011234567'], { ...term, env: env(), createClient: fake.createClient })).toBe(2);
    expect(await runWhatsApp(['login', '77011234567'], { ...term, env: env(), createClient: fake.createClient })).toBe(2);
    expect(term.stderr()).toMatch(/not a phone number/);
    expect(await runWhatsApp(['login'], { ...term, env: env(), createClient: fake.createClient })).toBe(2);
  });
});
