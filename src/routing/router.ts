// Decides who holds a case. A new case goes to an on-duty counsellor (language, then
// load, then round robin); with nobody on duty the reporter is told honestly when the
// next shift starts and the case is routed again then. An assignment nobody
// acknowledges within the SLA passes to the next on-duty counsellor, then to admins.
import type { CaseId, CounsellorId } from '../shared/index.js';
import type { EscalateJob, StaffNotice } from '../queue/index.js';
import type { CaseRecord, CaseDuty } from '../store/index.js';
import { chooseCounsellor } from './assignment.js';
import { enterStage } from './deadlines.js';
import { copyToHolder, underCaseLease, type DutyContext } from './duty-context.js';
import { isFinished } from '../cases/index.js';
import { reporterNotices } from './notices.js';
import { Roster, type Counsellor } from './roster.js';
import { tellReporter } from './tell-reporter.js';

/** The off-hours notice waits this long so the reporter reads the receipt first. */
export const OFF_HOURS_NOTICE_DELAY_MS = 1_500;

/** Who holds a case, decided and announced; the SLA timers' work. */
export interface Router {
  /** A new (or reopened) case: an on-duty counsellor gets it, or it waits for the next shift. */
  readonly route: (caseId: CaseId) => Promise<void>;
  /** An SLA timer ran out: the case passes on, or admins are called. */
  readonly escalate: (job: EscalateJob) => Promise<void>;
  /** The reporter's words made an open case urgent after it was routed. */
  readonly turnedUrgent: (caseId: CaseId) => Promise<void>;
  /** The roster changed: cases waiting for a shift get another chance now; how many. */
  readonly rerouteWaiting: () => Promise<number>;
}

export function createRouter(ctx: DutyContext): Router {
  const { duty: dutyStore, queues } = ctx;

  const slaMs = (d: CaseDuty) => (d.urgent ? ctx.sla.urgentAckMs : ctx.sla.ackMs);
  const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

  /** The people of the case's own staff chat: a case about staff is routed only to oversight. */
  async function loadRoster(record: CaseRecord): Promise<Roster> {
    return new Roster(await ctx.roster.snapshot(), ctx.timeZone).forDesk(record.desk);
  }

  async function choose(candidates: Counsellor[], record: CaseRecord, exclude: ReadonlySet<CounsellorId>): Promise<Counsellor | undefined> {
    if (ctx.visibility === 'assigned') candidates = await withPrivateChat(candidates, record, exclude);
    const [load, lastAssigned] = await Promise.all([dutyStore.load(candidates.map((c) => c.id)), dutyStore.lastAssigned()]);
    return chooseCounsellor({ candidates, lang: record.lang, load, lastAssigned, exclude });
  }

  /**
   * Need-to-know mode: a case goes only to someone the bot can write to privately (they
   * have pressed Start). Whoever is passed over for that is told in the staff chat, once
   * per case, how to fix it; the case is never posted in the shared chat instead.
   */
  async function withPrivateChat(candidates: Counsellor[], record: CaseRecord, exclude: ReadonlySet<CounsellorId>): Promise<Counsellor[]> {
    const eligible = candidates.filter((c) => c.active && !exclude.has(c.id));
    const ready = await ctx.copies.ready(eligible.map((c) => c.id));
    for (const c of eligible) {
      if (!ready.has(c.id)) await queues.notify(record.id, `needs-chat.${c.id}`, { kind: 'needs-private-chat', who: c.id });
    }
    return eligible.filter((c) => ready.has(c.id));
  }

  /**
   * Posts the notice and starts the SLA timer of the current assignment, then marks
   * it announced. Job ids carry the epoch, so doing this twice changes nothing; a step
   * that crashed before announcing is completed by the next route or SLA run.
   */
  async function announce(record: CaseRecord, d: CaseDuty, roster: Roster, kind: 'assigned' | 'escalated'): Promise<void> {
    const who = d.assignee!;
    const now = ctx.clock.now();
    const ms = slaMs(d);
    if (kind === 'assigned') {
      const alsoNotify = d.urgent ? urgentAlert(roster, now, who) : [];
      await notifyOpening(record, `assigned.${d.epoch}`, { kind, who, urgent: d.urgent, alsoNotify, slaMinutes: minutes(ms) });
    } else {
      await queues.notify(record.id, `escalated.${d.epoch}`, { kind, who, minutes: minutes(slaMs(d)) });
    }
    if (d.ackAt === undefined) await queues.scheduleEscalation(record.id, d.epoch, ms, now + ms);
    await dutyStore.markAnnounced(record.id, d.epoch);
  }

  /**
   * A notice about a case not in the staff chat yet is also left on the case, so its first
   * post carries it: one post per case opening, not two (the group's 20 a minute). Its own
   * job then posts nothing; if the first post went without it, the job posts it.
   */
  async function notifyOpening(record: CaseRecord, key: string, notice: StaffNotice): Promise<void> {
    const unposted = ctx.visibility === 'shared' && record.done.in === 0 && record.staffThread === undefined;
    if (unposted) await ctx.store.setOpening(record.id, key, JSON.stringify(notice));
    await queues.notify(record.id, key, notice, unposted);
  }

  async function settle(record: CaseRecord, d: CaseDuty): Promise<void> {
    if (d.assignee && d.announced !== d.epoch) await announce(record, d, await loadRoster(record), 'assigned');
  }

  async function assign(record: CaseRecord, d: CaseDuty, to: Counsellor, roster: Roster, kind: 'assigned' | 'escalated'): Promise<void> {
    const tried = kind === 'assigned' ? [to.id] : [...d.tried, to.id];
    const epoch = await dutyStore.assign(record.id, to.id, d.assignee, tried, ctx.clock.now());
    await copyToHolder(ctx, record.id, epoch);
    await announce(record, { ...d, assignee: to.id, epoch, tried }, roster, kind);
    await ctx.audit.record({
      at: ctx.clock.now(),
      actor: 'system',
      action: kind === 'assigned' ? 'case.assign' : 'case.escalate',
      target: to.id,
      case: record.code,
    });
    ctx.log.info({ event: `case.${kind}`, case: record.code, epoch, urgent: d.urgent }, kind === 'assigned' ? 'case assigned' : 'case escalated');
  }

  /** Nobody (eligible) on duty: tell the reporter once, tell staff, and come back at the next shift start. */
  async function wait(record: CaseRecord, d: CaseDuty, roster: Roster): Promise<void> {
    const now = ctx.clock.now();
    const next = roster.nextStart(now, new Set(d.excluded));
    await dutyStore.markWaiting(record.id);
    if (!d.offHoursTold) {
      await tellReporter(ctx, record, reporterNotices.offHours(record.lang, next?.at, ctx.timeZone, ctx.emergency), OFF_HOURS_NOTICE_DELAY_MS);
      await dutyStore.markOffHoursTold(record.id);
    }
    const alsoNotify = d.urgent ? roster.escalationContacts().map((c) => c.id) : [];
    await notifyOpening(record, `waiting.${next?.at ?? 'none'}`, { kind: 'waiting', ...(next ? { next: next.at } : {}), urgent: d.urgent, alsoNotify });
    if (next) await queues.routeAt(record.id, next.at, next.at - now);
    ctx.log.info({ event: 'case.waiting', case: record.code, nextShift: next?.at ?? null }, 'nobody on duty: case waits for the next shift');
  }

  async function route(caseId: CaseId): Promise<void> {
    await underCaseLease(ctx, caseId, 'no', async () => {
      const record = await ctx.store.get(caseId);
      if (!record || isFinished(record.status)) return; // shredded, withdrawn or closed before routing
      if (!record.routed) await ctx.store.markRouted(caseId);
      // The policy's clock for a first contact starts when the report came, not when it is
      // routed (again, at the next shift start). Where the duty clock is behind (a test's), its time.
      if (record.status === 'new' && !record.deadline) await enterStage(ctx, record, 'new', Math.min(record.createdAt, ctx.clock.now()));
      try {
        const d = await dutyStore.get(caseId);
        if (d.assignee) return await settle(record, d); // taken meanwhile, or a re-run
        const roster = await loadRoster(record);
        const exclude = new Set(d.excluded);
        const candidates = roster.onDuty(ctx.clock.now()).filter((c) => !exclude.has(c.id));
        const pick = await choose(candidates, record, exclude);
        if (!pick) return await wait(record, d, roster);
        await assign(record, d, pick, roster, 'assigned');
      } finally {
        // After the routing, so the case's first post can say who has it (notifyOpening).
        const kind = record.urgent ? 'urgent' : record.done.in === 0 ? 'new' : 'conversation';
        // In the shared chat a new case is posted in the order it came, not the order its
        // routing finished (need-to-know mode posts to the holder's private chat).
        const inLine = kind === 'new' && ctx.visibility === 'shared';
        if (inLine) await ctx.store.lineUpOpening(record);
        await ctx.pipeline.postToStaff(record, record.count.in, undefined, kind, inLine);
      }
    });
  }

  async function escalate(job: EscalateJob): Promise<void> {
    await underCaseLease(ctx, job.caseId, 'no', async () => {
      const record = await ctx.store.get(job.caseId);
      if (!record || isFinished(record.status)) return;
      const d = await dutyStore.get(job.caseId);
      await settle(record, d);
      // Acknowledged, or handed on since this timer was set: nothing to do.
      if (d.epoch !== job.epoch || d.ackAt !== undefined || !d.assignee) return;
      const roster = await loadRoster(record);
      const exclude = new Set([...d.excluded, ...d.tried]);
      const candidates = roster.onDuty(ctx.clock.now()).filter((c) => !exclude.has(c.id));
      const pick = await choose(candidates, record, exclude);
      if (pick) {
        await assign(record, d, pick, roster, 'escalated');
        ctx.onSlaBreach?.({ urgent: d.urgent, passedTo: 'counsellor' });
        return;
      }
      if (d.adminsCalled) return;
      const who = unique([...roster.admins(), ...roster.escalationContacts()].map((c) => c.id));
      await queues.notify(record.id, `admins.${d.epoch}`, { kind: 'admins-called', who, minutes: minutes(slaMs(d)) });
      await dutyStore.markAdminsCalled(record.id);
      ctx.onSlaBreach?.({ urgent: d.urgent, passedTo: 'admins' });
      await ctx.audit.record({ at: ctx.clock.now(), actor: 'system', action: 'case.escalate', case: record.code, detail: 'admins' });
      ctx.log.warn({ event: 'case.admins-called', case: record.code }, 'case unacknowledged and nobody else on duty: admins called');
    });
  }

  /**
   * The reporter's words made an open case urgent after it was routed: everyone on duty
   * and the escalation contacts hear it now, and if its holder has not acknowledged it
   * yet, the urgent SLA starts (the ordinary timer would wait up to 15 minutes).
   */
  async function turnedUrgent(caseId: CaseId): Promise<void> {
    await underCaseLease(ctx, caseId, 'no', async () => {
      const record = await ctx.store.get(caseId);
      if (!record || isFinished(record.status)) return;
      const d = await dutyStore.get(caseId);
      const roster = await loadRoster(record);
      const now = ctx.clock.now();
      const alsoNotify = urgentAlert(roster, now, d.assignee);
      const open = d.assignee !== undefined && d.ackAt === undefined;
      await queues.notify(record.id, `urgent.${d.epoch}`, {
        kind: 'turned-urgent',
        ...(d.assignee ? { who: d.assignee } : {}),
        acknowledged: !open,
        alsoNotify,
        slaMinutes: minutes(ctx.sla.urgentAckMs),
      });
      if (open) await queues.scheduleEscalation(record.id, d.epoch, ctx.sla.urgentAckMs, now + ctx.sla.urgentAckMs, true);
      ctx.log.warn({ event: 'case.turned-urgent', case: record.code, held: d.assignee !== undefined }, 'an open case turned urgent: staff on duty alerted');
    });
  }

  /** The roster changed: cases waiting for a shift get another chance now. */
  async function rerouteWaiting(): Promise<number> {
    const waiting = await dutyStore.waitingCases();
    const now = ctx.clock.now();
    for (const id of waiting) await queues.routeAgain(id, now);
    return waiting.length;
  }

  return { route, escalate, turnedUrgent, rerouteWaiting };
}

/** Who hears of an urgent case at once: everyone on duty and the escalation contacts, but its holder. */
function urgentAlert(roster: Roster, now: number, holder: CounsellorId | undefined): CounsellorId[] {
  return unique([...roster.onDuty(now), ...roster.escalationContacts()].map((c) => c.id)).filter((id) => id !== holder);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
