// An erased or shredded case leaves the staff chat too. Topics mode: the case's forum
// topic is deleted with everything in it (Telegram has no age limit on that). Replies
// mode: every message Trustline recorded for the case is deleted, up to 100 a call;
// Telegram deletes nothing older than 48 hours, so older messages of the bot's are
// edited to a neutral "Deleted", and whatever still could not be removed (counsellors'
// old messages, old files) is counted, told to the admins in the chat and written to
// the audit log, never silently left.
import { GrammyError, type Api } from 'grammy';
import { t } from '../../i18n/index.js';
import { type CaseCode, type CounsellorId, type Lang, type Logger, MAIN_DESK } from '../../shared/index.js';
import type { StaffErasureJob } from '../../queue/index.js';
import type { AuditLog, PrivateCopies, StaffMessageRef } from '../../store/index.js';
import { DELETABLE_FOR_MS, deleteInBatches } from './delete.js';
import type { StaffDesks } from './staff-desks.js';

export interface StaffErasureDeps {
  api: Api;
  /** a case's copy is deleted from its own staff chat */
  desks: StaffDesks;
  lang: Lang;
  audit: AuditLog;
  log: Logger;
  now?: () => number;
  /** need-to-know mode: a staff member's private chat, by roster handle, and the case copies in it */
  chatOf?: (handle: CounsellorId) => Promise<number | undefined>;
  copies?: PrivateCopies;
}

/** What became of a case's copy: deleted, replaced by "Deleted", or left for an admin to remove. */
export interface StaffErasureResult {
  deleted: number;
  neutralised: number;
  left: number;
}

export interface StaffErasure {
  run(job: StaffErasureJob): Promise<StaffErasureResult>;
  /** Need-to-know mode: someone left the roster; every case copy in their private chat is deleted. */
  clearPrivateChat(person: CounsellorId): Promise<void>;
}

const isGone = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /not found|TOPIC_ID_INVALID|MESSAGE_ID_INVALID/i.test(err.description);
const isUnchanged = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /not modified/i.test(err.description);

export function createStaffErasure(deps: StaffErasureDeps): StaffErasure {
  const { api, lang, log } = deps;
  const now = deps.now ?? Date.now;

  async function topic(chatId: number, thread: number): Promise<StaffErasureResult> {
    try {
      await api.deleteForumTopic(chatId, thread);
      return { deleted: 1, neutralised: 0, left: 0 };
    } catch (err) {
      if (isGone(err)) return { deleted: 0, neutralised: 0, left: 0 }; // someone deleted it already
      if (!(err instanceof GrammyError)) throw err; // network: the job retries
      log.warn({ err, event: 'staff.erase-refused' }, 'Telegram refused to delete a case topic');
      return { deleted: 0, neutralised: 0, left: 1 };
    }
  }

  async function messages(recorded: readonly StaffMessageRef[], chatId: number): Promise<StaffErasureResult> {
    const result: StaffErasureResult = { deleted: 0, neutralised: 0, left: 0 };
    const fresh = recorded.filter((m) => now() - m.at < DELETABLE_FOR_MS);
    const old = recorded.filter((m) => now() - m.at >= DELETABLE_FOR_MS);
    const refused = new Set(
      await deleteInBatches(
        api,
        chatId,
        fresh.map((m) => m.id),
        (err) => log.warn({ err, event: 'staff.erase-refused' }, 'Telegram refused to delete case messages'),
      ),
    );
    result.deleted += fresh.length - refused.size;
    old.push(...fresh.filter((m) => refused.has(m.id))); // too old after all, or no right: neutralise what can be
    for (const m of old) {
      if (m.kind === 's') {
        result.left++; // a counsellor's old message: only a person can remove it
        continue;
      }
      try {
        if (m.kind === 't') await api.editMessageText(chatId, m.id, t(lang, 'staff-deleted-neutral'));
        else await api.editMessageCaption(chatId, m.id, { caption: t(lang, 'staff-deleted-neutral') });
        // A file keeps its picture or document under the neutral caption: still one to remove by hand.
        if (m.kind === 't') result.neutralised++;
        else result.left++;
      } catch (err) {
        if (isUnchanged(err)) result.neutralised++;
        else if (isGone(err)) continue;
        else if (!(err instanceof GrammyError)) throw err;
        else result.left++;
      }
    }
    return result;
  }

  async function run(job: StaffErasureJob): Promise<StaffErasureResult> {
    const desk = deps.desks.byName(job.desk ?? MAIN_DESK);
    if (!desk) {
      // Its chat is no longer configured: nothing there can be deleted by the bot, and nothing elsewhere may be.
      log.warn({ event: 'staff.erase-no-chat', case: job.code }, "a case's copy is in a staff chat no longer configured: left there");
      return { deleted: 0, neutralised: 0, left: job.messages.length || 1 };
    }
    const chatId = desk.chatId;
    const mode = await desk.threading();
    const result = mode === 'topics' && job.thread !== undefined ? await topic(chatId, job.thread) : await messages(job.messages, chatId);
    for (const copy of job.privately ?? []) {
      const chat = deps.chatOf ? await deps.chatOf(copy.person as CounsellorId) : undefined;
      if (chat === undefined) continue; // off Telegram: there is no chat of theirs to clear
      const inPrivate = await messages(copy.messages, chat);
      result.deleted += inPrivate.deleted;
      result.neutralised += inPrivate.neutralised;
      result.left += inPrivate.left;
    }
    log.info({ event: 'staff.case-deleted', case: job.code, reason: job.reason, mode, ...result }, 'a case left the staff chat');
    await deps.audit.record({
      at: now(),
      actor: 'system',
      action: 'case.erase',
      case: job.code as CaseCode,
      detail: `${job.reason}: ${result.deleted} deleted, ${result.neutralised} neutralised, ${result.left} left`,
    });
    // Retention shreds many cases a day: the chat hears of those only when someone must act.
    if (job.reason !== 'retention' || result.left > 0) {
      await api.sendMessage(chatId, t(lang, 'staff-case-deleted', { code: job.code, reason: job.reason, neutral: result.neutralised, left: result.left }));
    }
    return result;
  }

  async function clearPrivateChat(person: CounsellorId): Promise<void> {
    if (!deps.copies || !deps.chatOf) return;
    const [ids, chat] = await Promise.all([deps.copies.allOf(person), deps.chatOf(person)]);
    if (ids.length && chat !== undefined) {
      // Older than 48 hours: Telegram keeps them; counted in the log, never shown.
      const kept = await deleteInBatches(api, chat, ids, (err) =>
        log.warn({ err, event: 'staff.copy-delete-refused' }, 'Telegram refused to delete case copies'),
      );
      log.info({ event: 'staff.private-cleared', deleted: ids.length - kept.length, left: kept.length }, "a removed staff member's case copies were deleted");
    }
    await deps.copies.forgetAll(person);
  }

  return { run, clearPrivateChat };
}
