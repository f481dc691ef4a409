// The first admins come from the environment (STAFF_ADMIN_IDS) because somebody must be
// able to run /staff add on day one. They are made active admins at every start, so
// an admin who locked everyone out can always get back in by editing that variable.
// STAFF_USER_IDS (the staff list before rosters existed) seeds counsellors once,
// into an empty roster.
import type { CounsellorId } from '../shared/index.js';
import type { AuditLog, RosterStore } from '../store/index.js';
import type { StaffDirectory } from './staff-directory.js';

export interface SeedResult {
  adminHandles: Set<CounsellorId>;
  admins: number;
  counsellors: number;
}

export async function seedRoster(
  deps: { roster: RosterStore; directory: StaffDirectory; audit: AuditLog },
  seed: { adminIds: readonly number[]; counsellorIds: readonly number[]; now: number },
): Promise<SeedResult> {
  const { roster, directory, audit } = deps;
  const wasEmpty = await roster.isEmpty();
  const adminHandles = new Set<CounsellorId>();
  let admins = 0;
  let counsellors = 0;
  for (const id of seed.adminIds) {
    const handle = directory.handleOf('telegram', String(id));
    adminHandles.add(handle);
    const existing = await roster.staff(handle);
    if (existing?.active && existing.role === 'admin') continue;
    if (existing) await roster.putStaff({ ...existing, active: true, role: 'admin' });
    // The name is not known yet: it is filled in the first time they write in the staff chat.
    else await directory.enroll({ channel: 'telegram', address: String(id), name: '' }, { role: 'admin', langs: [], escalation: false }, seed.now);
    await audit.record({ at: seed.now, actor: 'system', action: 'staff.seed', target: handle, detail: 'admin from STAFF_ADMIN_IDS' });
    admins++;
  }
  if (wasEmpty) {
    for (const id of seed.counsellorIds) {
      const handle = directory.handleOf('telegram', String(id));
      if (adminHandles.has(handle)) continue;
      await directory.enroll({ channel: 'telegram', address: String(id), name: '' }, { role: 'counsellor', langs: [], escalation: false }, seed.now);
      await audit.record({ at: seed.now, actor: 'system', action: 'staff.seed', target: handle, detail: 'counsellor from STAFF_USER_IDS' });
      counsellors++;
    }
  }
  return { adminHandles, admins, counsellors };
}
