// /label in a case: staff's own words to sort the queue by (/cases label referred). The
// hotline's usual words (CASE_LABELS) are offered; any other word will do. Each change is
// in the audit log with the label sealed under the case key, so /history shows it while
// the case lives and nothing of it after.
import { MAX_LABELS, parseLabel } from '../cases/index.js';
import type { CaseId } from '../shared/index.js';
import type { StaffRecord } from '../store/index.js';
import { underCaseLease, type DutyContext } from './duty-context.js';
import { reply, staffText, usageOf, type DeskResult } from './staff-text.js';

export type LabelAction = 'add' | 'remove' | 'list';

export async function labelCase(ctx: DutyContext, actor: StaffRecord, caseId: CaseId, action: LabelAction, word?: string): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const say = (id: Parameters<typeof staffText>[1], args?: Parameters<typeof staffText>[2]) => reply(staffText(lang, id, args));
  const label = parseLabel(word);
  if (action !== 'list' && !label) return reply(usageOf(lang, 'label'));
  return underCaseLease(ctx, caseId, 'briefly', async () => {
    const record = await ctx.store.get(caseId);
    if (!record) return say('cmd-case-gone');
    const list = (labels: string[]) => labels.join(', ') || '—';
    if (action === 'list' || !label) {
      return say('cmd-labels-list', { code: record.code, labels: list(ctx.labels.of(record)), words: ctx.labelWords.join(', ') });
    }
    const change = await ctx.labels.change(record, label, action === 'add');
    if (!change.ok) return say('cmd-labels-too-many', { max: MAX_LABELS });
    if (change.changed) {
      await ctx.audit.record({
        at: ctx.clock.now(),
        actor: actor.id,
        action: 'case.label',
        case: record.code,
        detail: action,
        caseNote: { caseId: record.id, sealed: ctx.caseLog.sealNote(record, label) },
      });
    }
    return say('cmd-labels', { code: record.code, labels: list(change.labels) });
  });
}
