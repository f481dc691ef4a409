// The staff edge for what routing and the SLA timers announce: renders a notice in
// STAFF_LANG with its mentions and posts it in the case's thread. A notice whose
// thread does not exist yet (the case is still being posted) waits for it. In
// need-to-know mode the case has no thread: each notice brings its card in the shared
// chat up to date, and what it says goes to the holder's private chat.
import type { Api } from 'grammy';
import { type CaseId, type CounsellorId, type Lang, type Logger, NotYet } from '../../shared/index.js';
import type { NoticeJob } from '../../queue/index.js';
import { noticeText } from '../../routing/index.js';
import type { CaseRecord, CaseStore } from '../../store/index.js';
import { isFinished } from '../../cases/index.js';
import { t } from '../../i18n/index.js';
import { sendRendered, type StaffRenderer } from './staff-render.js';
import type { AssignedCopies } from './staff-post.js';
import { inThread } from './staff-threads.js';
import type { StaffDesks } from './staff-desks.js';

export interface StaffNoticesDeps {
  api: Api;
  store: CaseStore;
  render: StaffRenderer;
  /** a notice goes to its case's staff chat */
  desks: StaffDesks;
  lang: Lang;
  timeZone: string;
  log: Logger;
  /** STAFF_VISIBILITY=assigned: the shared chat gets the case's card, the notice goes to the holder privately. */
  assigned?: AssignedCopies;
  /** Case posts are waiting for the staff chat's budget: a notice that is not urgent lets them go first. */
  postsWaiting?: () => Promise<boolean>;
}

/** What is said about an urgent case goes with the urgent posts, ahead of the rest. */
const isUrgent = (n: NoticeJob['notice']) => n.kind === 'turned-urgent' || ((n.kind === 'assigned' || n.kind === 'waiting') && n.urgent);

/** How soon a notice that let case posts go first looks again. */
const YIELD_MS = 2_000;

/** The card's "take" button names the case by the code the card shows anyway. */
export const takeButton = (code: string) => `take:${code}`;

/** A case that cannot be posted for this long is dead-lettered and alerted already; its notices stop waiting. */
const MAX_WAIT_FOR_THREAD_MS = 15 * 60_000;

/** What routing and the SLA timers announce, posted in the case's thread. */
export interface StaffNotices {
  /** Posts a notice job's notice; `queuedAt` (the job's timestamp) bounds how long it waits for the case's thread. */
  readonly post: (job: NoticeJob, queuedAt: number) => Promise<void>;
}

export function createStaffNotices(deps: StaffNoticesDeps): StaffNotices {
  /**
   * The case's card in the shared chat: posted once, then edited to what the case is
   * now. One refresh of a case at a time, reading the case under the lock, so two
   * notices handled at once cannot post two cards or leave the older state on it.
   */
  async function refreshCard(caseId: CaseId, assigned: AssignedCopies): Promise<CounsellorId | undefined> {
    if (!(await deps.store.lockCard(caseId))) throw new NotYet('the case card is being updated');
    try {
      const record = await deps.store.get(caseId);
      return record ? await drawCard(record, assigned) : undefined;
    } finally {
      await deps.store.unlockCard(caseId);
    }
  }

  async function drawCard(record: CaseRecord, assigned: AssignedCopies): Promise<CounsellorId | undefined> {
    const holder = record.assignee;
    const [part, ...rest] = await deps.render(await assigned.cardOf(record));
    if (!part || rest.length) throw new Error('a case card is one short message');
    // A case nobody holds can be taken from its card by whoever presses first.
    const open = !holder && !isFinished(record.status);
    const markup = { reply_markup: { inline_keyboard: open ? [[{ text: t(deps.lang, 'staff-card-take'), callback_data: takeButton(record.code) }]] : [] } };
    const chatId = deps.desks.of(record.desk).chatId;
    if (record.card === undefined) {
      const sent = await sendRendered(deps.api, chatId, part, open ? markup : {}, deps.log);
      await deps.store.setCard(record.id, record.desk, sent.message_id);
      return holder;
    }
    await deps.api.editMessageText(chatId, record.card, part.text, { entities: part.entities, ...markup }).catch((err: { description?: string }) => {
      if (!err.description?.includes('message is not modified')) throw err;
    });
    return holder;
  }

  /** Need-to-know mode: the card follows the case; what the notice says goes only to whoever holds it. */
  async function postAssigned(record: CaseRecord, job: NoticeJob, assigned: AssignedCopies): Promise<void> {
    const holder = await refreshCard(record.id, assigned);
    if (job.notice.kind === 'card') return;
    // Notices say nothing of what a case is about. One for the person passed over, or about a
    // case nobody holds (nobody on duty, an urgent case), goes to the staff chat beside
    // the card it can be taken from; the others go to the holder privately.
    const shared = job.notice.kind === 'needs-private-chat' || !holder;
    const chat = shared ? deps.desks.of(record.desk).chatId : await assigned.chatOf(holder);
    if (chat === undefined) return;
    const text = noticeText(job.notice, deps.lang, deps.timeZone);
    // In a private chat with several cases, each line says which case it is about.
    if (!shared) text.parts.unshift(`${t(deps.lang, 'staff-case-prefix', { code: record.code })}\n`);
    for (const part of await deps.render(text)) await sendRendered(deps.api, chat, part, {}, deps.log);
    deps.log.info({ event: 'staff.notice', case: record.code, kind: job.notice.kind, mode: 'assigned' }, 'notice posted, case card updated');
  }

  /** `queuedAt`: when the notice was queued (its job's timestamp). */
  async function post(job: NoticeJob, queuedAt: number): Promise<void> {
    const record = await deps.store.get(job.caseId);
    if (!record) return;
    if (!isUrgent(job.notice) && (await deps.postsWaiting?.())) throw new NotYet('case posts go first', YIELD_MS);
    if (deps.assigned) return postAssigned(record, job, deps.assigned);
    // After the report itself, so the thread reads: header, report, who has it.
    if (record.staffThread === undefined || record.done.in === 0) {
      if (Date.now() - queuedAt < MAX_WAIT_FOR_THREAD_MS) throw new NotYet('the case is not posted yet');
      deps.log.warn({ event: 'staff.notice-dropped', case: record.code, kind: job.notice.kind }, 'the case never reached the staff chat: notice dropped');
      return;
    }
    if (job.opening !== undefined && record.openedWith === job.opening) {
      deps.log.info({ event: 'staff.notice-in-post', case: record.code, kind: job.notice.kind }, "the notice went with the case's first post");
      return;
    }
    const desk = deps.desks.of(record.desk);
    const mode = await desk.threading();
    for (const part of await deps.render(noticeText(job.notice, deps.lang, deps.timeZone))) {
      // In reply mode, answering a notice counts as answering the case (linked by recordCaseMessages).
      await sendRendered(deps.api, desk.chatId, part, inThread(mode, record.staffThread), deps.log);
    }
    deps.log.info({ event: 'staff.notice', case: record.code, kind: job.notice.kind }, 'notice posted in the case thread');
  }

  return { post };
}

/** Forum topics follow the case: closed with it, reopened with it. Telegram refuses a no-op, which is fine. */
export async function setTopicOpen(api: Api, chatId: number, thread: number, open: boolean, log: Logger): Promise<void> {
  try {
    if (open) await api.reopenForumTopic(chatId, thread);
    else await api.closeForumTopic(chatId, thread);
  } catch (err) {
    log.warn({ err, event: open ? 'topic.reopen-failed' : 'topic.close-failed' }, 'could not change the case topic');
  }
}
