// What a reporter can do with a case already sent: withdraw it (staff are told, the
// case closes) or have it forgotten (crypto-shredding: the key and the content go, and
// its copy in the staff chat is deleted). Their other open case, if any, then takes
// their messages.
import type { Lang } from '../shared/index.js';
import type { CaseRecord } from '../store/index.js';
import { eraseCase } from '../cases/index.js';
import { t } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import type { Handled, IntakeContext } from './intake-context.js';
import { fallbackCase } from './own-cases.js';

export async function withdrawCase(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, lang: Lang): Promise<Handled> {
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'event', event: 'withdrawn', at: ctx.now() });
  await ctx.pipeline.postToStaff(record, seq);
  await ctx.reporterCases.withdraw(record.id, inbound.reporterKey, ctx.now());
  await ctx.conversations.delete(inbound.reporterKey);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'case.withdrawn', case: record.code }, 'case withdrawn by the reporter');
  const next = (await fallbackCase(ctx, inbound))?.code ?? 'none';
  return { lang, replies: [{ text: t(lang, 'withdrawn', { code: record.code, next }) }], answered: true };
}

export async function forgetCase(ctx: IntakeContext, inbound: Inbound, record: CaseRecord, lang: Lang): Promise<Handled> {
  await eraseCase(ctx, record, inbound.reporterKey, 'forget', ctx.now());
  await ctx.conversations.delete(inbound.reporterKey);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'case.erased', case: record.code }, 'case erased at the reporter’s request');
  const next = (await fallbackCase(ctx, inbound))?.code ?? 'none';
  // The chat goes too, as far as the platform allows (the adapter says what is left to do).
  return {
    lang,
    replies: [{ text: t(lang, 'forgotten', { code: record.code, next }) }, { text: t(lang, `wiped-${inbound.channel}`) }],
    answered: true,
    wipe: true,
  };
}
