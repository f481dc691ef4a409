// Erasing a case for good (crypto-shredding at once, not at the end of retention), as
// the reporter's /forget does and as an admin does with /erase at the reporter's request
// made some other way: the case key, content, return address and reporter link go in
// one step, and the case's copy in the staff chat is queued for deletion.
import type { ReporterKey } from '../shared/index.js';
import type { Pipeline, StaffErasureJob } from '../queue/index.js';
import type { CaseRecord, CaseStore, ReporterCaseStore } from '../store/index.js';

export interface ErasureDeps {
  store: CaseStore;
  reporterCases: ReporterCaseStore;
  pipeline: Pipeline;
}

export async function eraseCase(
  deps: ErasureDeps,
  record: Pick<CaseRecord, 'id' | 'code'>,
  reporterKey: ReporterKey | undefined,
  reason: StaffErasureJob['reason'],
  at: number,
): Promise<void> {
  // Where the case is in the staff chat, read before the erasure takes the pointers with it.
  const copy = await deps.store.staffCopy(record.id);
  await deps.reporterCases.erase(record.id, reporterKey, at);
  await deps.pipeline.eraseStaffCopy({ code: record.code, reason, ...copy });
}
