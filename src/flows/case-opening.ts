// Opening a case: a random case key sealed to staff, a fresh code, the sealed return
// address. If the reporter already has a case (two updates racing), that one is used,
// unless they asked for a case beside it (/new).
import { newCaseCode, newCaseId, newCaseKey, seal } from '../crypto/index.js';
import type { CaseId, ChannelName, DeskName, Lang, ReporterKey } from '../shared/index.js';
import type { CaseKind, CaseRecord, CaseStore, NewCase } from '../store/index.js';
import type { IntakeContext } from './intake-context.js';

export interface CaseRequest {
  reporterKey: ReporterKey;
  channel: ChannelName;
  lang: Lang;
  returnAddress: Buffer;
  urgent?: boolean;
  /** when the message that opens it came (Inbound.receivedAt) */
  arrivedAt?: number;
  category?: string;
  /** absent: the main staff chat */
  desk?: DeskName;
  /** a second case beside the reporter's others (/new), not the one they already have */
  alongside?: boolean;
  /** absent: a report */
  kind?: CaseKind;
}

export async function openCase(ctx: IntakeContext, req: CaseRequest): Promise<{ record: CaseRecord; opened: boolean }> {
  const { store, keys } = ctx;
  const existing = req.alongside ? undefined : await store.caseOfReporter(req.reporterKey);
  if (existing) {
    const record = await store.get(existing);
    if (record) return { record, opened: false };
  }
  const { id: winner, opened } = await createCase(
    store,
    keys.staff.publicKey,
    {
      reporterKey: req.reporterKey,
      channel: req.channel,
      lang: req.lang,
      returnAddress: req.returnAddress,
      createdAt: ctx.now(),
      ...(req.arrivedAt !== undefined ? { arrivedAt: req.arrivedAt } : {}),
      ...(req.urgent ? { urgent: true } : {}),
      ...(req.category ? { category: req.category } : {}),
      ...(req.desk ? { desk: req.desk } : {}),
      ...(req.kind === 'consultation' ? { kind: req.kind } : {}),
    },
    req.alongside,
  );
  const record = await store.get(winner);
  if (!record) throw new Error('case vanished right after it was created');
  if (opened) {
    ctx.log.info({ event: 'case.opened', case: record.code, channel: record.channel, lang: record.lang, urgent: record.urgent }, 'case opened');
  }
  return { record, opened };
}

/** What the caller of createCase decides; the id, the code and the case key are made there. */
export type CaseFields = Omit<NewCase, 'id' | 'code' | 'sealedKey'>;

/**
 * Writes a new case: a fresh id, a code reserved for it, and a case key of its own,
 * sealed to staff and wiped here. `id` is the case that now holds the reporter: another
 * one, and `opened` false, if the reporter's other update opened a case meanwhile.
 */
export async function createCase(
  store: CaseStore,
  staffPublicKey: Uint8Array,
  fields: CaseFields,
  alongside = false,
): Promise<{ id: CaseId; opened: boolean }> {
  const id = newCaseId();
  let code = newCaseCode();
  while (!(await store.reserveCode(code, id))) code = newCaseCode();
  const caseKey = newCaseKey();
  const sealedKey = seal(staffPublicKey, caseKey);
  caseKey.fill(0);
  const winner = await store.create({ ...fields, id, code, sealedKey }, alongside);
  return { id: winner, opened: winner === id };
}
