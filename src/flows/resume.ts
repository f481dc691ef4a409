// /resume CODE words: a reporter returns to their case from another account or number.
// Guessing is limited per account (the person trying), never per case code: the right
// code and phrase always open the case, so whoever sees a code cannot lock its reporter
// out. The passphrase derivation is also rate-limited across the service, which keeps
// guessing from many accounts hopeless. A wrong code costs as much time as a wrong
// phrase, so the answer does not reveal which codes exist.
import { hashPassphrase, normalizeCaseCode, normalizePassphrase, verifyPassphrase } from '../crypto/index.js';
import type { CaseCode, Lang } from '../shared/index.js';
import { t } from '../i18n/index.js';
import type { Inbound } from './inbound.js';
import type { IntakeContext } from './intake-context.js';
import type { Reply } from './reply.js';

const CODE_THEN_WORDS = /^\s*([a-z0-9]{3})[\s\-\u2010-\u2015]?([a-z0-9]{3})(?![a-z0-9])([\s\S]*)$/i;

export function parseResume(text: string): { code: CaseCode; passphrase: string } | undefined {
  const match = CODE_THEN_WORDS.exec(text);
  const code = match ? normalizeCaseCode(`${match[1]}${match[2]}`) : undefined;
  return code ? { code, passphrase: match![3]!.trim() } : undefined;
}

/**
 * Whether text could be a try at `/resume`: a case code and then a phrase. Anything
 * else after a bare /resume is the reporter writing something else, not an attempt.
 */
export function looksLikeResume(text: string): boolean {
  const parsed = parseResume(text);
  return parsed !== undefined && normalizePassphrase(parsed.passphrase) !== '';
}

// Checked when the code is unknown, so a miss takes as long as a wrong phrase. Any hash
// will do (it never matches), so one per process is enough.
let decoy: Promise<Buffer> | undefined;

export type ResumeResult = { ok: true; code: CaseCode; replies: Reply[] } | { ok: false; limited: boolean; replies: Reply[] };

/** Passphrase derivations (scrypt) the whole service makes per second; the rest are told to try again shortly. */
export const DERIVATIONS_PER_SECOND = 20;

export async function resume(ctx: IntakeContext, inbound: Inbound, lang: Lang, text: string): Promise<ResumeResult> {
  const max = ctx.config.resumeMaxAttempts;
  const rk = inbound.reporterKey;
  const parsed = parseResume(text);
  const scope = `rk:${rk}`;
  if ((await ctx.attempts.used(scope)) >= max) {
    ctx.log.warn({ event: 'resume.limited' }, 'resume refused: too many attempts');
    return { ok: false, limited: true, replies: [{ text: t(lang, 'resume-limited') }] };
  }
  if (!(await ctx.attempts.derivationSlot(DERIVATIONS_PER_SECOND))) {
    ctx.log.warn({ event: 'resume.busy' }, 'resume deferred: the service-wide derivation rate is spent');
    return { ok: false, limited: false, replies: [{ text: t(lang, 'resume-busy') }] };
  }

  const caseId = parsed ? await ctx.store.caseOfCode(parsed.code) : undefined;
  const record = caseId ? await ctx.store.get(caseId) : undefined;
  const stored = record ? await ctx.reporterCases.passphraseOf(record.id) : undefined;
  decoy ??= hashPassphrase('decoy', ctx.keys.pepper);
  const ok = await verifyPassphrase(parsed?.passphrase ?? '', ctx.keys.pepper, stored ?? (await decoy));
  if (!ok || !record || !stored) {
    const left = Math.max(0, max - (await ctx.attempts.fail(scope)));
    ctx.log.warn({ event: 'resume.failed', left }, 'resume refused: wrong code or passphrase');
    return { ok: false, limited: left === 0, replies: [{ text: t(lang, left > 0 ? 'resume-failed' : 'resume-limited', { left }) }] };
  }

  await ctx.reporterCases.moveTo(record.id, rk, inbound.returnAddress());
  // A block goes where the case goes: the new account opens no new case either.
  if (record.blocked) await ctx.blocks.block(rk, ctx.config.blockNewCasesMs);
  await ctx.reporterCases.setLang(record.id, lang);
  const seq = await ctx.caseLog.append(record, 'in', { kind: 'event', event: 'resumed', at: ctx.now() });
  await ctx.pipeline.postToStaff(record, seq);
  await ctx.conversations.delete(rk);
  if (inbound.deliveryId) await ctx.store.markUpdate(inbound.deliveryId);
  ctx.log.info({ event: 'resume.ok', case: record.code }, 'reporter returned to a case from another account');
  return { ok: true, code: record.code, replies: [{ text: t(lang, 'resume-ok', { code: record.code }) }] };
}
