// Opening a case: a random case key sealed to staff, a fresh code, the sealed return
// address. If the reporter already has a case (two updates racing), that one is used.
import { newCaseCode, newCaseId, newCaseKey, seal } from '../crypto/index.js';
import type { ChannelName, Lang, ReporterKey } from '../ids.js';
import type { CaseRecord } from '../store/cases.js';
import type { IntakeContext } from './intake-context.js';

export interface CaseRequest {
  reporterKey: ReporterKey;
  channel: ChannelName;
  lang: Lang;
  returnAddress: Buffer;
  urgent?: boolean;
  category?: string;
}

export async function openCase(ctx: IntakeContext, req: CaseRequest): Promise<{ record: CaseRecord; opened: boolean }> {
  const { store, keys } = ctx;
  const existing = await store.caseOfReporter(req.reporterKey);
  if (existing) {
    const record = await store.get(existing);
    if (record) return { record, opened: false };
  }
  const id = newCaseId();
  let code = newCaseCode();
  while (!(await store.reserveCode(code, id))) code = newCaseCode();
  const caseKey = newCaseKey();
  const sealedKey = seal(keys.staff.publicKey, caseKey);
  caseKey.fill(0);
  const winner = await store.create({
    id,
    code,
    reporterKey: req.reporterKey,
    channel: req.channel,
    lang: req.lang,
    sealedKey,
    returnAddress: req.returnAddress,
    createdAt: ctx.now(),
    ...(req.urgent ? { urgent: true } : {}),
    ...(req.category ? { category: req.category } : {}),
  });
  const record = await store.get(winner);
  if (!record) throw new Error('case vanished right after it was created');
  const opened = winner === id;
  if (opened) {
    ctx.log.info(
      { event: 'case.opened', case: record.code, channel: record.channel, lang: record.lang, urgent: record.urgent },
      'case opened',
    );
  }
  return { record, opened };
}
