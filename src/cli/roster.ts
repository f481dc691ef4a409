// `trustline roster import FILE` / `trustline roster export [--out FILE]`: the whole
// roster as a YAML or CSV file, for admins who prefer a spreadsheet to chat commands.
import { writeFile, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { deskNames, loadConfig } from '../config/index.js';
import { rosterKeyOf } from '../crypto/index.js';
import { loadKeys } from '../keys/index.js';
import { type CaseId, instantOf, localTimeOf, hhmm, isoDate } from '../shared/index.js';
import { dutyQueueNames, jobIds, queueNames } from '../queue/index.js';
import { exportRoster, importRoster, type RosterContents, StaffDirectory } from '../routing/index.js';
import { AuditLog, CaseStore, DutyStore, queuePrefix, connectRedis, RosterStore } from '../store/index.js';
import { parseCsvRoster, parseYamlRoster, RosterFileError, toCsv, toYaml, type RosterFile } from './roster-file.js';

export const ROSTER_USAGE = `Usage:
  trustline roster export [--out FILE] [--format yaml|csv]
  trustline roster import FILE [--format yaml|csv] [--dry-run]
`;

type Format = 'yaml' | 'csv';

function formatOf(explicit: string | undefined, file: string | undefined): Format {
  if (explicit === 'yaml' || explicit === 'csv') return explicit;
  return file?.toLowerCase().endsWith('.csv') ? 'csv' : 'yaml';
}

export async function rosterCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const [sub, file] = positionals;
  if ((sub !== 'import' && sub !== 'export') || (sub === 'import' && !file) || (values.format && !['yaml', 'csv'].includes(values.format))) {
    process.stderr.write(ROSTER_USAGE);
    return 2;
  }
  const config = loadConfig(process.env, []);
  if (!config.redis.url) {
    process.stderr.write('REDIS_URL is not set: the roster lives in the hotline’s Redis.\n');
    return 2;
  }
  const keys = await loadKeys(config.keysDir);
  const redis = connectRedis(config.redis.url, 'blocking');
  const roster = new RosterStore(redis);
  const directory = new StaffDirectory(roster, keys.pepper);
  const tz = config.timeZone;
  try {
    if (sub === 'export') {
      const { contents, unreadable } = await exportRoster({ roster, directory }, Date.now());
      const model = toFileModel(contents, tz);
      const text = formatOf(values.format, values.out) === 'csv' ? toCsv(model) : toYaml(model);
      if (values.out) await writeFile(values.out, text, { mode: 0o600 });
      else process.stdout.write(text);
      process.stderr.write(
        `Exported ${model.staff.length} staff${unreadable ? ` (${unreadable} unreadable with these keys, left out)` : ''}. ` +
          'The file names staff and their Telegram ids: keep it private.\n',
      );
      return 0;
    }
    const text = await readFile(file!, 'utf8');
    const model = formatOf(values.format, file) === 'csv' ? parseCsvRoster(text) : parseYamlRoster(text);
    // A chat this hotline does not have would leave them in none: refused, like any other mistake in the file.
    const chats = new Set(deskNames(config).filter((d) => d !== 'oversight'));
    const unknown = model.staff.flatMap((s, i) =>
      (s.chats ?? []).filter((c) => !chats.has(c)).map((c) => `staff ${i + 1}: chats: ${c} is not main or a chat of STAFF_CHATS`),
    );
    if (unknown.length) throw new RosterFileError(unknown);
    if (model.timeZone && model.timeZone !== tz) {
      process.stderr.write(`The file says timeZone ${model.timeZone} but the hotline runs in ${tz} (TZ): times are read as ${tz}.\n`);
    }
    const route = new Queue(queueNames.route, { connection: redis, prefix: queuePrefix });
    const membership = new Queue(dutyQueueNames.membership, { connection: redis, prefix: queuePrefix });
    const now = Date.now();
    try {
      const summary = await importRoster(
        {
          roster,
          directory,
          duty: new DutyStore(redis),
          audit: new AuditLog(redis, rosterKeyOf(keys.pepper)),
          caseDesk: async (caseId: CaseId) => (await new CaseStore(redis).get(caseId))?.desk,
          routeAgain: async (caseId: CaseId) => void (await route.add('route', { caseId }, { jobId: `${jobIds.route(caseId)}.k${now}` })),
          // worked by the running hotline, which holds the bot: out of the staff chat, admins told
          removeFromChat: async (handle, desk) =>
            void (await membership.add(
              'remove',
              { handle, ...(desk !== 'main' ? { desk } : {}) },
              { jobId: jobIds.membership(handle, now, desk), removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
            )),
        },
        fromFileModel(model, tz),
        { now, configAdminIds: [...config.staff.adminIds], dryRun: values['dry-run'] === true },
      );
      const verb = values['dry-run'] ? 'Would import' : 'Imported';
      process.stdout.write(
        `${verb}: ${summary.added} staff added, ${summary.updated} updated, ${summary.removed} removed` +
          `${summary.rerouted ? ` (${summary.rerouted} open cases passed on)` : ''}; ${summary.shifts} weekly shifts; ` +
          `overrides ${summary.overrides === 'unchanged' ? 'unchanged' : summary.overrides}.\n` +
          (summary.keptAdmins ? `${summary.keptAdmins} admin(s) from STAFF_ADMIN_IDS kept active.\n` : ''),
      );
    } finally {
      await Promise.all([route.close(), membership.close()]);
    }
    return 0;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

function fromFileModel(model: RosterFile, tz: string): RosterContents {
  const instant = (local: string) => {
    const [date, time] = local.split(/[ T]/) as [string, string];
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const [hh, mm] = time.split(':').map(Number) as [number, number];
    return instantOf({ y, m, d }, hh * 60 + mm, tz);
  };
  return {
    staff: model.staff.map((s) => ({
      identity: { channel: 'telegram', address: String(s.telegramId), name: s.name, ...(s.username ? { username: s.username } : {}) },
      role: s.role,
      langs: s.languages,
      escalation: s.escalation,
      ...(s.chats?.length ? { desks: s.chats } : {}),
      active: s.active,
      shifts: s.shifts,
    })),
    ...(model.overrides
      ? { overrides: model.overrides.map((o) => ({ address: String(o.telegramId), kind: o.kind, from: instant(o.from), to: instant(o.to) })) }
      : {}),
  };
}

function toFileModel(contents: RosterContents, tz: string): RosterFile {
  const local = (at: number) => {
    const t = localTimeOf(at, tz);
    return `${isoDate(t)} ${hhmm(t.minutes)}`;
  };
  return {
    timeZone: tz,
    staff: contents.staff.map((e) => ({
      telegramId: Number(e.identity.address),
      name: e.identity.name,
      ...(e.identity.username ? { username: e.identity.username } : {}),
      role: e.role,
      languages: e.langs,
      escalation: e.escalation,
      ...(e.desks?.length ? { chats: e.desks } : {}),
      active: e.active,
      shifts: e.shifts,
    })),
    overrides: (contents.overrides ?? []).map((o) => ({ telegramId: Number(o.address), kind: o.kind, from: local(o.from), to: local(o.to) })),
  };
}
