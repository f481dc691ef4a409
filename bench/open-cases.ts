// Open cases written straight into the store, for the growth run: opening thousands
// through the intake would spend minutes hashing passphrases, and what is measured is
// what the hotline does with them open. Each is what an opened case holds: a record
// with its own case key (sealed to staff) and return address (sealed to the relay),
// the reporter and code lookups, a staff topic, an assignment, one encrypted report.
import { createCase } from '../src/flows/case-opening.js';
import type { Redis } from 'ioredis';
import { reporterKeyOf, type KeyRing } from '../src/crypto/index.js';
import type { CounsellorId } from '../src/shared/ids.js';
import { sealReturnAddress } from '../src/cases/return-address.js';
import { CaseLog } from '../src/cases/case-log.js';
import { CaseStore } from '../src/store/cases.js';
import { DutyStore } from '../src/store/duty.js';
import { RosterStore } from '../src/store/roster.js';

/** Topic ids far above the emulator's message ids, so they never meet a real one. */
const FIRST_TOPIC = 50_000_000;

export async function writeOpenCases(redis: Redis, keys: KeyRing, count: number, from = 0): Promise<void> {
  const store = new CaseStore(redis);
  const log = new CaseLog(store, keys);
  const duty = new DutyStore(redis);
  // Whoever routing would give them to: counsellors, or the admins when there are none.
  const staff = (await new RosterStore(redis).snapshot()).staff.filter((c) => c.active);
  const counsellors: CounsellorId[] = (staff.some((c) => c.role === 'counsellor') ? staff.filter((c) => c.role === 'counsellor') : staff).map((c) => c.id);
  if (counsellors.length === 0) throw new Error('nobody on the roster to assign the cases to');
  for (let start = 0; start < count; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, count - start) }, async (_, j) => {
        const i = from + start + j;
        // Far from the emulator's user ids (700,000,001 up): these reporters never write.
        const address = String(9_000_000_000 + i);
        const { id } = await createCase(store, keys.staff.publicKey, {
          reporterKey: reporterKeyOf(keys.pepper, 'telegram', address),
          channel: 'telegram',
          lang: 'ru',
          returnAddress: sealReturnAddress(keys, { channel: 'telegram', address }),
          createdAt: Date.now(),
          category: 'bullying',
        });
        const record = (await store.get(id))!;
        const seq = await log.append(record, 'in', { kind: 'text', text: 'It keeps happening in the dormitory.', at: Date.now() });
        await store.markDone(id, 'in', seq); // posted long ago
        await store.setStaffThread(id, 'main', FIRST_TOPIC + i, 'topics');
        await duty.assign(id, counsellors[i % counsellors.length]!, undefined, [], Date.now());
      }),
    );
  }
}
