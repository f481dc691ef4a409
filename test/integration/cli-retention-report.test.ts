// `trustline retention run` and `trustline report` as an admin runs them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { generateKeyRing, sodiumReady } from '../../src/crypto/index.js';
import { CaseStore } from '../../src/store/cases.js';
import { reportPeriod } from '../../src/cli/report.js';
import { makeCase, type MadeCase } from '../support/cases.js';
import { redisForFile } from '../support/redis.js';
import { runTrustline } from '../support/cli.js';

const DAY = 24 * 3600 * 1000;
// Each command is a fresh Node process compiling TypeScript: seconds apiece on a busy 2-core machine.
const SLOW = 90_000;
const file = redisForFile();
let redis: Redis;
let dir: string;

beforeAll(async () => {
  await sodiumReady();
  redis = file.client;
  dir = await mkdtemp(join(tmpdir(), 'trustline-cli-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trustline = (args: string[], env: Record<string, string> = {}) => runTrustline(args, { REDIS_URL: file.server.url, ...env });

describe('trustline retention run', () => {
  it(
    '--dry-run lists the case codes that would go; the real run shreds them',
    async () => {
      const ring = generateKeyRing();
      const store = new CaseStore(redis);
      const old: MadeCase = await makeCase(redis, ring, { createdAt: Date.now() - 500 * DAY });
      await store.setStatus(old.id, 'closed', Date.now() - 400 * DAY);
      const young = await makeCase(redis, ring);
      await store.setStatus(young.id, 'withdrawn', Date.now() - 5 * DAY);

      const dry = await trustline(['retention', 'run', '--dry-run']);
      expect(dry.stderr).toBe('');
      expect(dry.stdout).toContain('Would shred 1 case(s) closed or withdrawn more than 365 days ago:');
      expect(dry.stdout).toMatch(new RegExp(`^  ${old.code}  closed`, 'm'));
      expect(dry.stdout).not.toContain(young.code);
      expect(dry.stdout).toContain('Dry run: nothing was changed.');
      expect(await store.get(old.id)).toBeDefined();

      // A shorter period set by the environment reaches the younger case too.
      const real = await trustline(['retention', 'run'], { RETENTION_CLOSED_DAYS: '3' });
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('Shredded 2 case(s) closed or withdrawn more than 3 days ago:');
      expect(await store.get(old.id)).toBeUndefined();
      expect(await store.get(young.id)).toBeUndefined();
    },
    SLOW,
  );
});

describe('trustline report', () => {
  it(
    'writes md to stdout and html/csv to files, counting shredded cases too',
    async () => {
      await redis.flushall();
      const ring = generateKeyRing();
      for (let i = 0; i < 6; i++) await makeCase(redis, ring, { createdAt: Date.UTC(2026, 2, 10 + i) });
      const shredded = await makeCase(redis, ring, { createdAt: Date.UTC(2026, 0, 5) });
      await new CaseStore(redis).setStatus(shredded.id, 'closed', Date.UTC(2026, 0, 6));
      expect((await trustline(['retention', 'run'], { RETENTION_CLOSED_DAYS: '1' })).stdout).toContain('Shredded 1 case(s)');

      const md = await trustline(['report', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'md']);
      expect(md.stderr).toBe('');
      expect(md.stdout).toContain('| Reports received | 7 |');
      expect(md.stdout).not.toContain(shredded.code);

      const html = join(dir, 'report.html');
      const wrote = await trustline(['report', '--year', '2026', '--format', 'html', '--out', html]);
      expect(wrote.stdout).toContain(`(7 reports) to ${html}`);
      expect(await readFile(html, 'utf8')).toContain('<svg');

      const csv = await trustline(['report', '--year', '2026', '--format', 'csv'], { REPORT_MIN_CELL: '10' });
      expect(csv.stdout).toContain('summary,Reports received,<10,');
    },
    SLOW,
  );

  it(
    'explains bad arguments in a sentence, without a stack trace',
    async () => {
      const bad = await trustline(['report', '--from', '2026-13-01', '--to', '2026-12-31']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toBe('--from and --to must be dates written YYYY-MM-DD\n');
      const format = await trustline(['report', '--year', '2026', '--format', 'pdf']);
      expect(format.stderr).toBe('--format must be one of md, csv, html\n');
      expect(() => reportPeriod({ from: '2026-02-01', to: '2026-01-01' })).toThrow(/not be after/);
      expect(reportPeriod({ year: '2026' })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    },
    SLOW,
  );
});
