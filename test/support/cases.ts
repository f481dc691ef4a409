// Cases written the way intake writes them (case key sealed to the staff key, return
// address sealed to the relay key, messages under the case key), without a bot or
// queues, for tests of what happens to cases at rest: keys, retention, the report.
import { createCase } from '../../src/flows/case-opening.js';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { reporterKeyOf, type KeyRing } from '../../src/crypto/index.js';
import type { CaseCode, CaseId, ChannelName, Lang, ReporterKey } from '../../src/shared/ids.js';
import { sealReturnAddress } from '../../src/cases/return-address.js';
import { CaseLog } from '../../src/cases/case-log.js';
import { CaseStore } from '../../src/store/cases.js';

export interface MadeCase {
  id: CaseId;
  code: CaseCode;
  reporterKey: ReporterKey;
  address: string;
  text: string;
}

export async function makeCase(
  redis: Redis,
  ring: KeyRing,
  options: {
    channel?: ChannelName;
    lang?: Lang;
    createdAt?: number;
    text?: string;
    answer?: string;
    /** the platform address (chat id, line:jid) of a reporter a test writes as; random if not given */
    address?: string;
  } = {},
): Promise<MadeCase> {
  const store = new CaseStore(redis);
  const channel = options.channel ?? 'telegram';
  // Four random bytes: 500 cases of a test share no reporter (three made that 1 run in 130).
  const address = options.address ?? String(100_000_000 + randomBytes(4).readUInt32BE(0));
  const reporterKey = reporterKeyOf(ring.pepper, channel, address);
  const { id } = await createCase(store, ring.staff.publicKey, {
    reporterKey,
    channel,
    lang: options.lang ?? 'ru',
    returnAddress: sealReturnAddress(ring, { channel, address }),
    createdAt: options.createdAt ?? Date.now(),
  });
  const text = options.text ?? `report ${randomBytes(6).toString('hex')}`;
  const caseLog = new CaseLog(store, ring);
  const record = (await store.get(id))!;
  await caseLog.append(record, 'in', { kind: 'text', text, at: record.createdAt });
  if (options.answer !== undefined) await caseLog.append(record, 'out', { kind: 'text', text: options.answer, at: record.createdAt });
  return { id, code: record.code, reporterKey, address, text };
}

/** The first reporter message of a case, opened with `ring` (throws if it cannot be). */
export async function readFirstMessage(redis: Redis, ring: KeyRing, id: CaseId): Promise<string> {
  const store = new CaseStore(redis);
  const caseLog = new CaseLog(store, ring);
  const record = await store.get(id);
  if (!record) throw new Error('no such case');
  const key = caseLog.caseKey(record);
  const read = await caseLog.read(record, key, 'in', 1);
  key.fill(0);
  if (read?.entry.kind !== 'text') throw new Error('no text');
  return read.entry.text;
}
