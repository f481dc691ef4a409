// /block and /unblock: an admin stops an abusive reporter's messages from reaching staff,
// without anyone learning who they are. The block is on the case and on its reporter's
// key (which opens no new case for BLOCK_NEW_CASES_FOR); the reporter is told, in their
// language, that the service will not answer on this case, and where else to turn. The
// reason is audited, sealed under the case key.
import { blockedNotice } from '../cases/index.js';
import { t } from '../i18n/index.js';
import type { CaseId } from '../shared/index.js';
import type { StaffRecord } from '../store/index.js';
import { underCaseLease, type DutyContext } from './duty-context.js';
import { reply, staffText, usageOf, type DeskResult } from './staff-text.js';
import { tellReporter } from './tell-reporter.js';

export async function blockCase(ctx: DutyContext, actor: StaffRecord, caseId: CaseId, reason: string, block: boolean): Promise<DeskResult> {
  const lang = ctx.staffLang;
  if (block && !reason.trim()) return reply(usageOf(lang, 'block'));
  return underCaseLease(ctx, caseId, 'briefly', async () => {
    const record = await ctx.store.get(caseId);
    if (!record) return reply(staffText(lang, 'cmd-case-gone'));
    if (Boolean(record.blocked) === block) return reply(staffText(lang, block ? 'cmd-blocked-already' : 'cmd-unblocked-already', { code: record.code }));
    const rk = await ctx.store.reporterOf(caseId);
    await ctx.store.setBlocked(caseId, block);
    if (rk && block) await ctx.blocks.block(rk, ctx.blockNewCasesMs);
    if (rk && !block) await ctx.blocks.unblock(rk);
    const at = ctx.clock.now();
    await ctx.audit.record({
      at,
      actor: actor.id,
      action: block ? 'case.block' : 'case.unblock',
      case: record.code,
      ...(block ? { caseNote: { caseId, sealed: ctx.caseLog.sealNote(record, reason.trim()) } } : {}),
    });
    await tellReporter(
      ctx,
      record,
      block
        ? blockedNotice(record.lang, { numbers: ctx.emergency, ...(ctx.elsewhere ? { contacts: ctx.elsewhere } : {}) }, record)
        : t(record.lang, 'reporter-unblocked', { code: record.code }),
    );
    ctx.log.info({ event: block ? 'case.blocked' : 'case.unblocked', case: record.code }, block ? 'reporter blocked' : 'reporter unblocked');
    return reply(staffText(lang, block ? 'cmd-blocked' : 'cmd-unblocked', { code: record.code, days: Math.round(ctx.blockNewCasesMs / 86_400_000) }));
  });
}
