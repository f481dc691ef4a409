// /healthz and /metrics of a running hotline: the series an operator alerts on exist and
// move with real traffic, /healthz follows Redis, and nothing in the scrape names a
// person, a case or a message.
import { afterEach, describe, expect, it } from 'vitest';
import { watchedQueues, queueStates } from '../../src/health/queue-depths.js';
import { delayedJob, promote, report } from '../support/duty.js';
import { startHotline, type Hotline } from '../support/hotline.js';
import { fileReport } from '../support/intake-driver.js';

let h: Hotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const T = { timeoutMs: 10_000 };

async function start(): Promise<Hotline> {
  h = await startHotline({ threading: 'topics', env: { HEALTH_PORT: '0' } });
  return h;
}

async function scrape(hotline: Hotline): Promise<string> {
  const res = await fetch(`${hotline.app.health!.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(body: string): Sample[] {
  return body.split('\n').flatMap((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) return [];
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    return [{ name: m[1]!, labels, value: Number(m[3]) }];
  });
}

/** The one sample with exactly these labels. */
function value(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const same = (a: Record<string, string>) => Object.keys(a).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => a[k] === v);
  return samples(body).find((s) => s.name === name && same(s.labels))?.value;
}

/** Checks again until `check` holds (no fixed sleeps; gives up after 10 s). */
async function until<V>(label: string, get: () => Promise<V>, check: (v: V) => boolean): Promise<V> {
  for (let i = 0; i < 200; i++) {
    const v = await get();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`still not ${label} after 10 s`);
}

const healthz = async (hotline: Hotline) => {
  const res = await fetch(`${hotline.app.health!.url}/healthz`);
  return { status: res.status, body: await res.json() };
};

describe('/metrics', () => {
  it('counts deliveries both ways, queue depths, open cases and SLA breaches, and names nobody', async () => {
    const hotline = await start();
    const staffTexts = () => hotline.api.messagesIn(hotline.staffGroup.id).map((m) => m.text ?? '');
    const aigerim = hotline.api.addUser({ firstName: 'Aigerim', username: 'aigerim_k', languageCode: 'en' });
    const first = 'My supervisor keeps pressuring me after hours';
    const c1 = await report(hotline, aigerim, first);

    // Nobody takes it within the SLA: with nobody else on duty, admins are called.
    await promote(hotline, 'escalate', (j) => j.data.caseId === c1.caseId);
    await hotline.api.waitFor(
      () => hotline.api.messagesIn(hotline.staffGroup.id).find((m) => m.message_thread_id === c1.thread && m.text!.startsWith('⏰')),
      T,
    );

    const answer = 'We are here. Are you safe tonight?';
    hotline.api.sendGroup(hotline.staffGroup, hotline.counsellor, answer, { threadId: c1.thread });
    await hotline.api.waitFor(() => hotline.api.messagesIn(aigerim.id).find((m) => m.text?.includes(answer)), T);
    const followUp = 'Yes, I am at my aunt in Almaty';
    hotline.api.sendPrivate(aigerim, followUp);
    await hotline.api.waitFor(() => staffTexts().find((t) => t.includes(followUp)), T);

    const bolat = hotline.api.addUser({ firstName: 'Bolat', username: 'bolat_s', languageCode: 'en' });
    const second = 'Someone shares my photos in the group chat';
    const c2 = await report(hotline, bolat, second);
    await delayedJob(hotline, 'escalate', (j) => j.data.caseId === c2.caseId); // its SLA timer is set

    const body = await scrape(hotline);
    // Two reports and a follow-up reached the staff chat; one answer reached the reporter.
    expect(value(body, 'trustline_delivery_seconds_count', { direction: 'to_staff', channel: 'telegram' })).toBeGreaterThanOrEqual(3);
    expect(value(body, 'trustline_delivery_seconds_count', { direction: 'to_reporter', channel: 'telegram' })).toBe(1);
    expect(value(body, 'trustline_delivery_seconds_bucket', { direction: 'to_reporter', channel: 'telegram', le: '+Inf' })).toBe(1);
    expect(value(body, 'trustline_delivery_seconds_count', { direction: 'to_staff', channel: 'whatsapp' })).toBe(0);

    expect(value(body, 'trustline_open_cases')).toBe(2);
    expect(value(body, 'trustline_cases', { status: 'acknowledged' })).toBe(1); // the answer acknowledged the first
    expect(value(body, 'trustline_cases', { status: 'new' })).toBe(1);
    expect(value(body, 'trustline_cases', { status: 'closed' })).toBe(0);
    expect(value(body, 'trustline_cases_pending', { direction: 'to_staff' })).toBeDefined();

    expect(value(body, 'trustline_sla_breaches_total', { urgent: 'no', passed_to: 'admins' })).toBe(1);
    expect(value(body, 'trustline_sla_breaches_total', { urgent: 'no', passed_to: 'counsellor' })).toBe(0);

    for (const queue of watchedQueues) {
      for (const state of queueStates) expect(value(body, 'trustline_queue_jobs', { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
    }
    expect(value(body, 'trustline_queue_jobs', { queue: 'escalate', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    for (const kind of ['urgent', 'conversation', 'new']) expect(value(body, 'trustline_staff_posts_waiting', { class: kind })).toBe(0);
    expect(value(body, 'trustline_staff_post_head_wait_seconds')).toBe(0);
    expect(value(body, 'trustline_redis_up')).toBe(1);
    expect(value(body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // Nothing of anyone: no text, name, handle, case code or case id anywhere in the
    // scrape, and no Telegram id (user or chat) in any label.
    for (const secret of [
      first,
      second,
      answer,
      followUp,
      'Aigerim',
      'aigerim_k',
      'Bolat',
      'bolat_s',
      'Dana',
      'dana_counsellor',
      c1.code,
      c2.code,
      c1.caseId,
      c2.caseId,
    ]) {
      expect(body, `the scrape holds ${secret}`).not.toContain(secret);
    }
    const labelValues = samples(body).flatMap((s) => Object.values(s.labels));
    expect(labelValues.length).toBeGreaterThan(50);
    for (const id of [aigerim.id, bolat.id, hotline.counsellor.id, hotline.admin.id, hotline.staffGroup.id]) {
      expect(
        labelValues.filter((v) => v.includes(String(Math.abs(id)))),
        `a label holds ${id}`,
      ).toEqual([]);
    }
  }, 60_000);

  it('counts the 429s and 5xx Telegram answers', async () => {
    const hotline = await start();
    const staffTexts = () => hotline.api.messagesIn(hotline.staffGroup.id).map((m) => m.text ?? '');
    const user = hotline.api.addUser({ firstName: 'F', languageCode: 'en' });
    await fileReport(hotline.api, user);
    await hotline.api.waitFor(() => staffTexts().find((t) => t.startsWith('👤')), T);
    const before = await scrape(hotline);
    expect(value(before, 'trustline_telegram_errors_total', { method: 'sendMessage', code: '429' })).toBeUndefined();

    hotline.api.failNext('sendMessage', { error_code: 429, retry_after: 1, times: 2 });
    hotline.api.failNext('sendMessage', { error_code: 502, times: 1 });
    hotline.api.sendPrivate(user, 'part 1');
    await hotline.api.waitFor(() => staffTexts().includes('part 1'), { timeoutMs: 30_000 });

    const refused = (code: number) => hotline.api.callsTo('sendMessage').filter((c) => c.response && !c.response.ok && c.response.error_code === code).length;
    expect(refused(429)).toBe(2);
    const body = await scrape(hotline);
    expect(value(body, 'trustline_telegram_errors_total', { method: 'sendMessage', code: '429' })).toBe(2);
    expect(value(body, 'trustline_telegram_errors_total', { method: 'sendMessage', code: '502' })).toBe(refused(502));
    expect(refused(502)).toBe(1);
  }, 60_000);
});

describe('/healthz', () => {
  it('is 200 while Redis answers, 503 while it is down, and 200 again when it is back', async () => {
    const hotline = await start();
    expect(await healthz(hotline)).toEqual({
      status: 200,
      body: { status: 'ok', checks: { redis: 'ok', workers: 'ok', staffChat: 'ok' }, info: { staffAnonymousAdmins: 0, evidenceToolsMissing: 0 } },
    });
    expect((await fetch(`${hotline.app.health!.url}/anything-else`)).status).toBe(404);

    await hotline.redis.kill();
    const down = await until(
      '503',
      () => healthz(hotline),
      (r) => r.status === 503,
    );
    expect(down.body).toMatchObject({ status: 'unavailable', checks: { redis: 'failing' } });
    // Metrics still answer, and say what is wrong.
    const body = await scrape(hotline);
    expect(value(body, 'trustline_redis_up')).toBe(0);
    expect(value(body, 'trustline_queue_jobs', { queue: 'route', state: 'waiting' })).toBeUndefined(); // unknown, not 0

    await hotline.redis.restart();
    await until(
      '200',
      () => healthz(hotline),
      (r) => r.status === 200,
    );
  }, 60_000);

  it('says how many evidence tools are missing, and the log says which and what to install', async () => {
    h = await startHotline({ threading: 'topics', env: { HEALTH_PORT: '0', MAT2_COMMAND: 'mat2-not-installed', FFMPEG_COMMAND: 'ffmpeg-not-installed' } });
    const body = (await healthz(h)).body as { status: string; info: Record<string, number> };
    // Still serving reporters: files reach staff marked as not cleaned, voices are refused.
    expect(body.status).toBe('ok');
    expect(body.info.evidenceToolsMissing).toBe(2);
    const events = h.captured.records().map((r) => r.event);
    expect(events).toEqual(expect.arrayContaining(['evidence.cleaner-missing', 'evidence.masker-missing']));
  });

  it('is not served unless HEALTH_PORT is set', async () => {
    h = await startHotline({ threading: 'topics' });
    expect(h.app.health).toBeUndefined();
  });
});
