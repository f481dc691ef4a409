// Decides where a new case goes. For now there is one destination, the staff chat;
// the duty roster (who is on call, language, load) plugs in here.
import type { CaseId } from '../ids.js';
import type { Pipeline } from '../queue/pipeline.js';
import type { CaseStore } from '../store/cases.js';

export function createRouter({ store, pipeline }: { store: CaseStore; pipeline: Pipeline }) {
  return {
    async route(caseId: CaseId): Promise<void> {
      const record = await store.get(caseId);
      if (!record) return; // shredded or withdrawn before routing: nothing to post
      await pipeline.postToStaff(caseId, record.count.in);
    },
  };
}
