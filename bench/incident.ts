// An incident: many people file a whole report within a minute (a public incident, a
// viral post), against the emulator with Telegram's limits. Telegram lets a bot post
// about 20 messages a minute in one group, so the staff chat is the ceiling: measured is
// how long until each report is visible to staff, with one staff chat, and with the same
// reports split over two (STAFF_CHATS, by language), where each chat has its own 20.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { User } from 'grammy/types';
import type { BotApiServer } from '../src/sandbox/bot-api/index.js';
import { openCase } from './intake.js';
import { stage, type Rig } from './measure.js';
import { TELEGRAM_LIMITS } from './scenarios.js';
import { latency, type Latency } from './traffic.js';

export interface IncidentResult {
  chats: number;
  reports: number;
  /** when each report's first post appeared in a staff chat, from when the first reporter pressed Send */
  visibleAfterMs: Latency;
  /** the last report visible, from the first Send */
  lastVisibleMs: number;
  notVisible: number;
  tooManyRequests: number;
  /** the bot's posts in the staff chats, per report (no evidence, nobody answers) */
  postsPerReport: number;
  /** reports made visible after one sent later than them */
  overtaken: number;
}

/**
 * The second staff chat of the two-chat runs: a Kazakh-speaking team (STAFF_CHATS in a
 * file under `dir`), made in the emulator before Trustline starts; `id` once it is.
 */
export function kazakhTeam(dir: string): { id?: number; chats: (api: BotApiServer) => Promise<Record<string, string>> } {
  const team: { id?: number; chats: (api: BotApiServer) => Promise<Record<string, string>> } = {
    async chats(api) {
      const kazakh = api.addGroup({ title: 'Kazakh team', forum: true });
      team.id = kazakh.id;
      const file = join(dir, 'chats.json');
      await writeFile(file, JSON.stringify({ chats: [{ name: 'kazakh', chatId: kazakh.id, languages: ['kk'] }] }));
      return { STAFF_CHATS: file };
    },
  };
  return team;
}

/** `reports` reporters, half in Kazakh, each starting their intake `withinMs / reports` apart. */
export async function incident(rig: Rig, opts: { reports: number; withinMs: number }, env: Record<string, string>): Promise<IncidentResult[]> {
  const results: IncidentResult[] = [];
  for (const chats of [1, 2]) {
    const dir = await mkdtemp(join(os.tmpdir(), 'trustline-bench-chats-'));
    const team = kazakhTeam(dir);
    const s = await stage(rig, { relay: 'trustline', answer: false, rateLimits: TELEGRAM_LIMITS, env, ...(chats === 2 ? { chats: team.chats } : {}) });
    try {
      const staffChats = new Set([s.staff.id, ...(team.id !== undefined ? [team.id] : [])]);
      // Every message the bot posts in a staff chat, with when: a report is visible at the first that names its code.
      const seen = new Map<string, number>();
      let posts = 0;
      const stop = s.api.onBotMessage((m) => {
        if (!staffChats.has(m.chat.id)) return;
        posts++;
        for (const code of (m.text ?? '').match(/[0-9A-Z]{3}-[0-9A-Z]{3}/g) ?? []) if (!seen.has(code)) seen.set(code, Date.now());
      });
      const users: User[] = Array.from({ length: opts.reports }, (_, i) => s.api.addUser({ firstName: `R${i}`, languageCode: i % 2 ? 'kk' : 'ru' }));
      const gap = opts.withinMs / opts.reports;
      const filed = await Promise.all(
        users.map(async (user, i) => {
          await new Promise((r) => setTimeout(r, i * gap));
          return openCase(s.api, user, 300_000);
        }),
      );
      const first = Math.min(...filed.map((f) => f.sentAt));
      const deadline = Date.now() + 300_000;
      while (filed.some((f) => !seen.has(f.code)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      stop();
      const sent = new Map(filed.map((f) => [f.code, f.sentAt]));
      results.push({
        chats,
        reports: opts.reports,
        visibleAfterMs: latency(sent, seen),
        lastVisibleMs: Math.max(...filed.map((f) => (seen.get(f.code) ?? NaN) - first)),
        notVisible: filed.filter((f) => !seen.has(f.code)).length,
        tooManyRequests: s.api.stats.tooManyRequests,
        postsPerReport: posts / opts.reports,
        overtaken: filed.filter((a) => filed.some((b) => b.sentAt > a.sentAt && (seen.get(b.code) ?? Infinity) < (seen.get(a.code) ?? Infinity))).length,
      });
    } finally {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

export function incidentTable(results: IncidentResult[]): string {
  const lines = results.map(
    (r) =>
      `  ${r.chats} staff chat${r.chats > 1 ? 's' : ''}: ${r.reports} reports, visible to staff after p50 ${Math.round(r.visibleAfterMs.p50 / 1000)} s, ` +
      `max ${Math.round(r.visibleAfterMs.max / 1000)} s; the last ${Math.round(r.lastVisibleMs / 1000)} s after the first Send; ` +
      `${r.postsPerReport.toFixed(1)} posts a report; ${r.overtaken} overtaken; ${r.notVisible} not visible; ${r.tooManyRequests} × 429`,
  );
  return ['', 'Incident: reports filed within a minute, under Telegram’s limits (20 posts a minute per group)', ...lines].join('\n');
}
