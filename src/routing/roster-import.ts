// Importing and exporting the whole roster (the `trustline roster` command). An import
// makes the roster what the file says: listed staff added or updated, others removed
// (their open cases passed on), shifts replaced, overrides replaced when the file has
// them. Admins from STAFF_ADMIN_IDS always stay active admins.
import type { CaseId, CounsellorId, DeskName, Lang, Weekday } from '../shared/index.js';
import type { AuditLog, DutyStore, RosterStore, StaffRecord } from '../store/index.js';
import { newRosterItemId } from './roster-desk.js';
import { desksOf, type Override, type Shift, type StaffRole } from './roster.js';
import type { StaffDirectory, StaffIdentity } from './staff-directory.js';

export interface RosterEntry {
  identity: StaffIdentity;
  role: StaffRole;
  langs: Lang[];
  escalation: boolean;
  active: boolean;
  shifts: { days: Weekday[]; start: number; end: number }[];
  /** the staff chats they work in (STAFF_CHATS); absent or empty: the main one */
  desks?: DeskName[];
}

export interface RosterContents {
  staff: RosterEntry[];
  /** undefined: leave overrides as they are */
  overrides?: { address: string; kind: 'away' | 'cover'; from: number; to: number }[];
}

export interface ImportSummary {
  added: number;
  updated: number;
  removed: number;
  /** STAFF_ADMIN_IDS admins the file left out or deactivated, kept active */
  keptAdmins: number;
  shifts: number;
  overrides: number | 'unchanged';
  /** open cases of removed staff, passed on to routing */
  rerouted: number;
}

export interface ImportDeps {
  roster: RosterStore;
  directory: StaffDirectory;
  duty: DutyStore;
  audit: AuditLog;
  /** the staff chat a case lives in */
  caseDesk: (caseId: CaseId) => Promise<DeskName | undefined>;
  /** queue a routing of the case (removed counsellor's cases, cases waiting for a shift) */
  routeAgain: (caseId: CaseId) => Promise<void>;
  /** queue taking someone no longer on the roster (or no longer in that chat) out of a staff chat */
  removeFromChat: (handle: CounsellorId, desk: DeskName) => Promise<void>;
}

export async function importRoster(
  deps: ImportDeps,
  contents: RosterContents,
  opts: { now: number; configAdminIds: readonly number[]; dryRun: boolean },
): Promise<ImportSummary> {
  const { roster, directory } = deps;
  const existing = new Map((await roster.allStaff()).map((r) => [r.id, r]));
  const configAdmins = new Set(opts.configAdminIds.map((id) => directory.handleOf('telegram', String(id))));
  const records: StaffRecord[] = [];
  const usernames = new Map<string, CounsellorId>();
  const shifts: Shift[] = [];
  let added = 0;
  let updated = 0;
  let keptAdmins = 0;

  for (const [i, entry] of contents.staff.entries()) {
    const id = directory.handleOf(entry.identity.channel, entry.identity.address);
    const before = existing.get(id);
    const forced = configAdmins.has(id) && (!entry.active || entry.role !== 'admin');
    if (forced) keptAdmins++;
    // A file without a name keeps the name Trustline already knows.
    const identity = entry.identity.name || !before ? directory.sealIdentity(`staff/${id}`, entry.identity) : before.identity;
    records.push({
      id,
      role: forced ? 'admin' : entry.role,
      langs: entry.langs,
      escalation: entry.escalation,
      ...(entry.desks?.length ? { desks: entry.desks } : {}),
      active: forced || entry.active,
      identity,
      addedAt: before?.addedAt ?? opts.now + i, // new people keep the file's order in exports and lists
    });
    if (entry.identity.username) usernames.set(directory.usernameKey(entry.identity.channel, entry.identity.username), id);
    if (forced || entry.active) {
      if (before?.active) updated++;
      else added++;
    }
    if (forced || entry.active) for (const s of entry.shifts) shifts.push({ id: newRosterItemId(), counsellor: id, ...s });
  }
  const listed = new Set(records.map((r) => r.id));
  for (const id of configAdmins) {
    const before = existing.get(id);
    if (listed.has(id) || !before) continue;
    records.push({ ...before, active: true, role: 'admin' });
    keptAdmins++;
  }
  const removed = [...existing.values()].filter((r) => r.active && !records.some((x) => x.id === r.id && x.active));
  // Still on the roster, but out of a chat they were in: out of that chat, and its cases passed on.
  const moved = records.flatMap((r) => {
    const before = existing.get(r.id);
    const left = before?.active && r.active ? desksOf(before).filter((d) => !desksOf(r).includes(d)) : [];
    return left.length ? [{ record: r, left }] : [];
  });
  const overrides: Override[] | undefined = contents.overrides
    ?.filter((o) => o.to > opts.now)
    .map((o) => ({ id: newRosterItemId(), counsellor: directory.handleOf('telegram', o.address), kind: o.kind, from: o.from, to: o.to, via: 'import' }));

  let rerouted = 0;
  if (!opts.dryRun) {
    await roster.replace(records, shifts, overrides, usernames);
    for (const r of removed) {
      for (const desk of desksOf(r)) await deps.removeFromChat(r.id, desk);
      for (const caseId of await deps.duty.openCases(r.id)) {
        await deps.duty.unassign(caseId, r.id);
        await deps.routeAgain(caseId);
        rerouted++;
      }
    }
    for (const { record, left } of moved) {
      for (const desk of left) await deps.removeFromChat(record.id, desk);
      for (const caseId of await deps.duty.openCases(record.id)) {
        if (!left.includes((await deps.caseDesk(caseId)) ?? 'main')) continue;
        await deps.duty.unassign(caseId, record.id);
        await deps.routeAgain(caseId);
        rerouted++;
      }
    }
    for (const caseId of await deps.duty.waitingCases()) await deps.routeAgain(caseId);
    const detail = `${records.filter((r) => r.active).length} staff, ${shifts.length} shifts, ${overrides?.length ?? 'unchanged'} overrides, ${removed.length} removed`;
    await deps.audit.record({ at: opts.now, actor: 'cli', action: 'roster.import', detail });
  } else {
    for (const r of removed) rerouted += (await deps.duty.openCases(r.id)).length;
  }
  return { added, updated, removed: removed.length, keptAdmins, shifts: shifts.length, overrides: overrides?.length ?? 'unchanged', rerouted };
}

/** The roster as it stands, with identities opened (for an admin's file). Past overrides are left out. */
export async function exportRoster(deps: Pick<ImportDeps, 'roster' | 'directory'>, now: number): Promise<{ contents: RosterContents; unreadable: number }> {
  const [staff, shifts, overrides] = await Promise.all([deps.roster.allStaff(), deps.roster.shifts(), deps.roster.overrides()]);
  const address = new Map<CounsellorId, string>();
  const entries: RosterEntry[] = [];
  let unreadable = 0;
  for (const r of staff.sort((a, b) => a.addedAt - b.addedAt)) {
    const identity = deps.directory.identityOfRecord(r);
    if (!identity) {
      unreadable++; // sealed under another pepper: nobody can say who this is
      continue;
    }
    address.set(r.id, identity.address);
    entries.push({
      identity,
      role: r.role,
      langs: r.langs,
      escalation: r.escalation,
      active: r.active,
      ...(r.desks?.length ? { desks: r.desks } : {}),
      shifts: shifts.filter((s) => s.counsellor === r.id).map(({ days, start, end }) => ({ days, start, end })),
    });
  }
  const future = overrides.filter((o) => o.to > now && address.has(o.counsellor));
  return {
    contents: { staff: entries, overrides: future.map((o) => ({ address: address.get(o.counsellor)!, kind: o.kind, from: o.from, to: o.to })) },
    unreadable,
  };
}
