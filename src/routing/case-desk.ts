// What counsellors do with a case: take it, hand it on (transfer, recuse), move it
// through the policy's procedure (/status), schedule a check-in (/followup), send a
// canned answer (/t). Every change of hands goes through the assignment epoch and
// the audit log; every status change is told to the reporter in plain words.
import { eraseCase, canMove, isFinished, moveCase } from '../cases/index.js';
import { normalizeCaseCode } from '../crypto/index.js';
import { type CaseId, type CounsellorId, MAIN_DESK, OVERSIGHT_DESK } from '../shared/index.js';
import type { DeadlineJob, FollowupJob } from '../queue/index.js';
import { type CaseRecord, type CaseStatus, type StaffRecord, redisKeys } from '../store/index.js';
import { deadlineDue, enterStage } from './deadlines.js';
import { copyToHolder, refreshCard, underCaseLease, type DutyContext } from './duty-context.js';
import { formatDayTime } from '../i18n/index.js';
import { reporterNotices } from './notices.js';
import type { Router } from './router.js';
import { mention, nameOf, reply, staffText, statusName, usageOf, type DeskResult } from './staff-text.js';
import { tellReporter } from './tell-reporter.js';

/** The longest follow-up a counsellor can schedule. */
export const MAX_FOLLOWUP_MS = 365 * 24 * 3600_000;

/** What counsellors do with a case; every answer is the reply for the staff chat. */
export interface CaseDesk {
  /** /take: the counsellor takes (acknowledges) the case; the reporter is told. */
  readonly take: (actor: StaffRecord, caseId: CaseId) => Promise<DeskResult>;
  /**
   * A counsellor answered in the case: the first answer acknowledges it. Refused for
   * someone who recused, and with `holderOnly` (need-to-know mode's private chats) for
   * anyone but its holder: a supervisor reading it does not take it by writing.
   */
  readonly answered: (actor: StaffRecord, caseId: CaseId, holderOnly?: boolean) => Promise<'ok' | 'recused' | 'not-holder'>;
  /** /transfer: the case passes to a colleague, with the reason in the audit log. */
  readonly transfer: (actor: StaffRecord, caseId: CaseId, target: StaffRecord, reason: string) => Promise<DeskResult>;
  /** /recuse: the counsellor steps back; the case is routed again. */
  readonly recuse: (actor: StaffRecord, caseId: CaseId, reason: string) => Promise<DeskResult>;
  /** /status: the case moves along the policy's procedure; the reporter is told. */
  readonly setStatus: (actor: StaffRecord, caseId: CaseId, to: CaseStatus) => Promise<DeskResult>;
  /** /followup: ask the reporter later (after `delayMs`), list or cancel what is planned. */
  readonly followup: (actor: StaffRecord, caseId: CaseId, delayMs: number | 'list' | 'cancel') => Promise<DeskResult>;
  /** A follow-up came due: ask the reporter how things are. */
  readonly followupDue: (job: FollowupJob) => Promise<void>;
  /** A deadline of the policy comes near or passed: whoever holds the case hears it. */
  readonly deadlineDue: (job: DeadlineJob) => Promise<void>;
  /** /t: a saved answer, in the reporter's language, as the counsellor's answer. */
  readonly sendTemplate: (actor: StaffRecord, caseId: CaseId, name: string) => Promise<DeskResult>;
  /** The reporter wrote in a closed case: it is open again. True if it reopened. */
  readonly reopenByReporter: (caseId: CaseId) => Promise<boolean>;
  /** /hold: an admin keeps the case past its retention period (`'off'` lifts it). */
  readonly hold: (actor: StaffRecord, caseId: CaseId, reason: string) => Promise<DeskResult>;
  /** /open: a supervisor reads a case they do not hold (need-to-know mode); audited, and its holder told. */
  readonly open: (actor: StaffRecord, typedCode: string) => Promise<DeskResult>;
  /**
   * /escalate oversight, /recuse oversight: the case concerns the hotline's own staff. It
   * leaves this chat (deleted as an erased case is) and is routed again in the oversight
   * chat; the reporter is told who reads it now. `recused`: the actor is involved themself.
   */
  readonly toOversight: (actor: StaffRecord, caseId: CaseId, reason: string, recused: boolean) => Promise<DeskResult>;
  /** /erase: an admin erases the case for good, confirmed by its code typed again. */
  readonly erase: (actor: StaffRecord, caseId: CaseId, typedCode: string) => Promise<DeskResult>;
  readonly router: Router;
}

export function createCaseDesk(ctx: DutyContext, router: Router): CaseDesk {
  const { staffLang: lang, duty: dutyStore } = ctx;
  const now = () => ctx.clock.now();
  const say = (id: Parameters<typeof staffText>[1], args?: Parameters<typeof staffText>[2], people?: Parameters<typeof staffText>[3]) =>
    reply(staffText(lang, id, args, people));

  async function withCase(caseId: CaseId, fn: (record: CaseRecord) => Promise<DeskResult>): Promise<DeskResult> {
    return underCaseLease(ctx, caseId, 'briefly', async () => {
      const record = await ctx.store.get(caseId);
      if (!record) return say('cmd-case-gone');
      return fn(record);
    });
  }

  /**
   * new -> acknowledged. After /take the reporter is told in plain words; after a first
   * answer they are not, since the answer itself says someone is on it.
   */
  async function acknowledge(record: CaseRecord, by: CounsellorId, tell: boolean): Promise<void> {
    const d = await dutyStore.get(record.id);
    let epoch = d.epoch;
    if (d.assignee !== by) {
      epoch = await dutyStore.assign(record.id, by, d.assignee, [by], now());
      await copyToHolder(ctx, record.id, epoch);
    }
    await dutyStore.acknowledge(record.id, now());
    await dutyStore.markAnnounced(record.id, epoch);
    if (record.status !== 'new') return;
    if (tell) await moveStatus(record, 'acknowledged');
    else await setStage(record, 'acknowledged');
  }

  /** The case is at stage `to` now: its status, and the deadline of that stage (or none). */
  async function setStage(record: CaseRecord, to: CaseStatus): Promise<void> {
    await ctx.store.setStatus(record.id, to);
    await enterStage(ctx, record, to, now());
  }

  async function moveStatus(record: CaseRecord, to: CaseStatus): Promise<void> {
    await setStage(record, to);
    await refreshCard(ctx, record.id);
    await tellReporter(ctx, record, reporterNotices.status(record.lang, record.code, to));
    ctx.log.info({ event: 'case.status', case: record.code, previous: record.status, status: to }, 'case status changed');
  }

  async function take(actor: StaffRecord, caseId: CaseId): Promise<DeskResult> {
    return withCase(caseId, async (record) => {
      if (isFinished(record.status)) return say('cmd-case-finished', { status: statusName(lang, record.status) });
      const d = await dutyStore.get(caseId);
      if (d.excluded.includes(actor.id)) return say('cmd-recused-already');
      if (d.assignee === actor.id && d.ackAt !== undefined) return say('cmd-take-already', {}, { who: nameOf(actor.id) });
      await acknowledge(record, actor.id, true);
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.take', case: record.code });
      return d.assignee && d.assignee !== actor.id
        ? say('cmd-taken-from', {}, { who: nameOf(actor.id), from: nameOf(d.assignee) })
        : say('cmd-taken', {}, { who: nameOf(actor.id) });
    });
  }

  /** A counsellor answered in the case: the first answer acknowledges it. Returns false if they may not answer. */
  async function answered(actor: StaffRecord, caseId: CaseId, holderOnly = false): Promise<'ok' | 'recused' | 'not-holder'> {
    const d = await dutyStore.get(caseId);
    if (d.excluded.includes(actor.id)) return 'recused';
    if (holderOnly && d.assignee !== actor.id) return 'not-holder';
    if (d.ackAt !== undefined) return 'ok';
    await underCaseLease(ctx, caseId, 'briefly', async () => {
      const record = await ctx.store.get(caseId);
      const fresh = await dutyStore.get(caseId);
      if (!record || fresh.ackAt !== undefined || isFinished(record.status)) return;
      await acknowledge(record, actor.id, false);
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.take', case: record.code, detail: 'answer' });
    });
    return 'ok';
  }

  async function transfer(actor: StaffRecord, caseId: CaseId, target: StaffRecord, reason: string): Promise<DeskResult> {
    return withCase(caseId, async (record) => {
      if (isFinished(record.status)) return say('cmd-case-finished', { status: statusName(lang, record.status) });
      if (!target.active) return say('cmd-not-staff-target');
      const d = await dutyStore.get(caseId);
      if (d.excluded.includes(target.id)) return say('cmd-transfer-recused', {}, { who: nameOf(target.id) });
      if (d.assignee === target.id) return say('cmd-transfer-same', {}, { who: nameOf(target.id) });
      const epoch = await dutyStore.assign(caseId, target.id, d.assignee, [target.id], now());
      await copyToHolder(ctx, caseId, epoch);
      const ms = d.urgent ? ctx.sla.urgentAckMs : ctx.sla.ackMs;
      await ctx.queues.scheduleEscalation(caseId, epoch, ms, now() + ms);
      await dutyStore.markAnnounced(caseId, epoch);
      const note = reason ? { caseNote: { caseId, sealed: ctx.caseLog.sealNote(record, reason) } } : {};
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.transfer', target: target.id, case: record.code, ...note });
      ctx.log.info({ event: 'case.transferred', case: record.code, epoch }, 'case transferred');
      return say('cmd-transferred', { minutes: Math.round(ms / 60_000) }, { who: mention(target.id), by: nameOf(actor.id) });
    });
  }

  async function recuse(actor: StaffRecord, caseId: CaseId, reason: string): Promise<DeskResult> {
    if (!reason.trim()) return say('cmd-recuse-needs-reason');
    return withCase(caseId, async (record) => {
      const d = await dutyStore.get(caseId);
      await dutyStore.exclude(caseId, actor.id);
      if (d.assignee === actor.id) {
        await copyToHolder(ctx, caseId, await dutyStore.unassign(caseId, actor.id));
        if (!isFinished(record.status)) await ctx.queues.routeAgain(caseId, now());
      }
      const note = { caseId, sealed: ctx.caseLog.sealNote(record, reason.trim()) };
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.recuse', case: record.code, caseNote: note });
      ctx.log.info({ event: 'case.recused', case: record.code }, 'a counsellor recused themself');
      return say('cmd-recused', {}, { who: nameOf(actor.id) });
    });
  }

  async function setStatus(actor: StaffRecord, caseId: CaseId, to: CaseStatus): Promise<DeskResult> {
    return withCase(caseId, async (record) => {
      const move = canMove(record.status, to);
      if (!move.ok) return say('cmd-status-refused', { from: statusName(lang, record.status), to: statusName(lang, to), reason: move.reason });
      const d = await dutyStore.get(caseId);
      // Acting on a case is acknowledging it: the SLA stops, and an unheld case becomes the actor's.
      if (d.ackAt === undefined) {
        let epoch = d.epoch;
        if (!d.assignee) {
          epoch = await dutyStore.assign(caseId, actor.id, undefined, [actor.id], now());
          await copyToHolder(ctx, caseId, epoch);
        }
        await dutyStore.acknowledge(caseId, now());
        await dutyStore.markAnnounced(caseId, epoch);
      }
      const holder = d.assignee ?? actor.id;
      if (to === 'closed') await dutyStore.setOpen(caseId, holder, false);
      if (record.status === 'closed') await dutyStore.setOpen(caseId, holder, true);
      await moveStatus(record, to);
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.status', case: record.code, detail: `${record.status}->${to}` });
      const result = say('cmd-status-set', { code: record.code, status: statusName(lang, to) });
      if (to === 'closed') return { ...result, thread: 'close' };
      if (record.status === 'closed') return { ...result, thread: 'reopen' };
      return result;
    });
  }

  async function followup(actor: StaffRecord, caseId: CaseId, delayMs: number | 'list' | 'cancel'): Promise<DeskResult> {
    const pending = await ctx.queues.followupsOf(caseId);
    if (delayMs === 'list') {
      if (!pending.length) return say('cmd-followup-none');
      return say('cmd-followup-list', { when: pending.map((p) => formatDayTime(p.dueAt, lang, ctx.timeZone)).join(', ') });
    }
    if (delayMs === 'cancel') {
      for (const p of pending) await p.remove();
      return say('cmd-followup-cancelled', { count: pending.length });
    }
    if (delayMs > MAX_FOLLOWUP_MS) return say('cmd-followup-too-far');
    const record = await ctx.store.get(caseId);
    if (!record) return say('cmd-case-gone');
    if (record.status === 'withdrawn') return say('cmd-case-finished', { status: statusName(lang, record.status) });
    const dueAt = now() + delayMs;
    await ctx.queues.scheduleFollowup(caseId, dueAt, delayMs);
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.followup', case: record.code, detail: formatDayTime(dueAt, 'en', ctx.timeZone) });
    return say('cmd-followup-set', { when: formatDayTime(dueAt, lang, ctx.timeZone) });
  }

  /** A follow-up came due: ask the reporter how things are; their answer joins the case as usual. */
  async function followupDue(job: FollowupJob): Promise<void> {
    const record = await ctx.store.get(job.caseId);
    if (!record || record.status === 'withdrawn') return;
    const marker = `followup.${job.dueAt}`;
    if (await ctx.redis.hexists(redisKeys.case(job.caseId), marker)) return; // sent before a crash
    await tellReporter(ctx, record, reporterNotices.followup(record.lang, record.code));
    await ctx.redis.hset(redisKeys.case(job.caseId), marker, '1');
    await ctx.queues.notify(job.caseId, `followup.${job.dueAt}`, { kind: 'followup-sent' });
    ctx.log.info({ event: 'case.followup', case: record.code }, 'follow-up check-in sent to the reporter');
  }

  async function sendTemplate(actor: StaffRecord, caseId: CaseId, name: string): Promise<DeskResult> {
    const record = await ctx.store.get(caseId);
    if (!record) return say('cmd-case-gone');
    const text = await ctx.templates.get(name, record.lang);
    if (text === undefined) {
      const langs = (await ctx.templates.list()).get(name) ?? [];
      return say('cmd-template-missing', { name, lang: record.lang, have: langs.join(', ') || '-' });
    }
    if (!(await answered(actor, caseId))) return say('cmd-recused-already');
    const seq = await ctx.caseLog.append(record, 'out', { kind: 'text', text, at: now() });
    await ctx.pipeline.deliverToReporter(caseId, seq);
    ctx.log.info({ event: 'staff.template', case: record.code, seq }, 'template queued for the reporter');
    return say('cmd-template-sent', { name, lang: record.lang, text });
  }

  /**
   * The reporter wrote in a closed case: it is open again, under consideration, with
   * whoever held it (or routed afresh if they are gone). Returns true if it reopened.
   */
  async function reopenByReporter(caseId: CaseId): Promise<boolean> {
    return underCaseLease(ctx, caseId, 'no', async () => {
      const record = await ctx.store.get(caseId);
      if (!record || record.status !== 'closed') return false;
      await setStage(record, 'under-consideration');
      const d = await dutyStore.get(caseId);
      const holder = d.assignee ? await ctx.roster.staff(d.assignee) : undefined;
      if (holder?.active) await dutyStore.setOpen(caseId, holder.id, true);
      else {
        await copyToHolder(ctx, caseId, await dutyStore.unassign(caseId, d.assignee));
        await ctx.queues.routeAgain(caseId, now());
      }
      await ctx.queues.notify(caseId, `reopened.${record.count.in}`, { kind: 'reopened', ...(holder?.active ? { who: holder.id } : {}) });
      await ctx.audit.record({ at: now(), actor: 'system', action: 'case.status', case: record.code, detail: 'closed->under-consideration' });
      ctx.log.info({ event: 'case.reopened', case: record.code }, 'the reporter wrote in a closed case: reopened');
      return true;
    });
  }

  /**
   * An admin keeps a case past its retention period for a formal procedure: the hold
   * (and its reason, sealed under the case key) is audited, and retention skips the case
   * until the hold is lifted. Copies are never to be kept in the chat instead.
   */
  async function hold(actor: StaffRecord, caseId: CaseId, reason: string): Promise<DeskResult> {
    return withCase(caseId, async (record) => {
      if (reason === 'off') {
        await ctx.store.setHold(caseId, undefined);
        await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.hold-off', case: record.code });
        return say('cmd-hold-off', { code: record.code });
      }
      if (!reason.trim()) return reply(usageOf(ctx.staffLang, 'hold'));
      await ctx.store.setHold(caseId, now());
      const caseNote = { caseId, sealed: ctx.caseLog.sealNote(record, reason.trim()) };
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.hold', case: record.code, caseNote });
      ctx.log.info({ event: 'case.held', case: record.code }, 'case put on hold');
      return say('cmd-held', { code: record.code });
    });
  }

  /**
   * An admin erases a case for good at its reporter's request made some other way (in
   * person, by phone): as the reporter's /forget. The case code typed again confirms it.
   */
  async function toOversight(actor: StaffRecord, caseId: CaseId, reason: string, recused: boolean): Promise<DeskResult> {
    if (!reason.trim()) return say('cmd-oversight-needs-reason');
    if (!ctx.desks.includes(OVERSIGHT_DESK)) return say('cmd-oversight-missing');
    const record = await ctx.store.get(caseId);
    if (!record) return say('cmd-case-gone');
    if (record.desk === OVERSIGHT_DESK) return say('cmd-oversight-already');
    // Not under withCase: the move takes the case's leases itself.
    if (!(await moveCase(ctx, caseId, OVERSIGHT_DESK, now()))) return say('cmd-case-gone');
    const note = { caseId, sealed: ctx.caseLog.sealNote(record, reason.trim()) };
    if (recused) await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.recuse', case: record.code, caseNote: note });
    await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.move', case: record.code, detail: OVERSIGHT_DESK, caseNote: note });
    await tellReporter(ctx, record, reporterNotices.movedToOversight(record.lang, record.code));
    ctx.log.info({ event: 'case.moved', case: record.code, to: OVERSIGHT_DESK, recused }, 'a case about staff moved to the oversight chat');
    return { ...say('cmd-moved-oversight', { code: record.code }), thread: 'gone' };
  }

  async function erase(actor: StaffRecord, caseId: CaseId, typedCode: string): Promise<DeskResult> {
    return withCase(caseId, async (record) => {
      if (typedCode.trim().toUpperCase() !== record.code) return say('usage-erase', { code: record.code });
      const reporterKey = await ctx.store.reporterOf(caseId);
      await ctx.audit.record({ at: now(), actor: actor.id, action: 'case.erase', case: record.code, detail: 'by staff' });
      await eraseCase(ctx, record, reporterKey, 'staff', now());
      ctx.log.info({ event: 'case.erased', case: record.code, by: 'staff' }, 'case erased by an admin');
      return { ...say('cmd-erased', { code: record.code }), thread: 'gone' };
    });
  }

  async function open(actor: StaffRecord, typedCode: string): Promise<DeskResult> {
    if (ctx.visibility !== 'assigned') return say('cmd-open-shared');
    const code = normalizeCaseCode(typedCode);
    const caseId = code && (await ctx.store.caseOfCode(code));
    if (!caseId) return say('cmd-open-unknown', { code: typedCode });
    const record = await ctx.store.get(caseId);
    // A case of the oversight chat is unknown here: nothing of it may show in the staff chat.
    if (!record || record.desk !== MAIN_DESK) return say(record ? 'cmd-open-unknown' : 'cmd-case-gone', { code: typedCode });
    if (record.assignee === actor.id) return say('cmd-open-own', { code: record.code });
    if (!(await ctx.copies.ready([actor.id])).has(actor.id)) return say('staff-card-start-first');
    const at = now();
    await ctx.audit.record({ at, actor: actor.id, action: 'case.open', case: record.code, ...(record.assignee ? { target: record.assignee } : {}) });
    await ctx.pipeline.postReaderCopy(record.id, actor.id, at);
    if (record.assignee) await ctx.queues.notify(record.id, `opened.${at}`, { kind: 'opened', who: actor.id });
    ctx.log.info({ event: 'case.opened', case: record.code }, 'a supervisor opened a case to read it');
    return say('cmd-open-sent', { code: record.code });
  }

  return {
    take,
    answered,
    transfer,
    recuse,
    setStatus,
    followup,
    followupDue,
    deadlineDue: (job) => deadlineDue(ctx, job),
    sendTemplate,
    reopenByReporter,
    hold,
    open,
    toOversight,
    erase,
    router,
  };
}
