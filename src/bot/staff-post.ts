// The staff edge, outbound: decrypts a case's pending messages and posts them to the
// staff chat under the case pseudonym, in order, each exactly once.
import { InputFile, type Api } from 'grammy';
import type { Threading } from '../config.js';
import { t } from '../flows/i18n.js';
import type { CaseId, Lang } from '../ids.js';
import type { Logger } from '../log.js';
import { NotYet } from '../queue/failures.js';
import type { CaseLog, Entry, FileEntry } from '../routing/case-log.js';
import { formatReport } from '../flows/report.js';
import type { ReporterCaseStore } from '../store/reporter-cases.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';
import { tryLease } from '../store/lock.js';
import type { Redis } from '../store/redis.js';
import { splitText } from './telegram-text.js';

export interface StaffPostDeps {
  api: Api;
  redis: Redis;
  store: CaseStore;
  caseLog: CaseLog;
  log: Logger;
  chatId: number;
  /** what is left of erased cases, to tell the staff chat */
  reporterCases: ReporterCaseStore;
  lang: Lang;
  threading: () => Promise<Threading>;
  leaseMs: number;
  /** The reporter wrote in a closed case: reopen it (status, topic) before posting. */
  reopen?: (record: CaseRecord, thread: number, mode: Threading) => Promise<void>;
}

/** Telegram's limit for a media caption. */
const CAPTION_LIMIT = 1024;

export function createStaffPost(deps: StaffPostDeps) {
  const { api, store, chatId, lang } = deps;

  /** Topic per case, or a root message that replies thread under. Created once, under the lease. */
  async function ensureThread(record: CaseRecord, mode: Threading): Promise<number> {
    if (record.staffThread !== undefined) return record.staffThread;
    const header = t(lang, 'staff-case-opened', {
      code: record.code,
      channel: record.channel === 'telegram' ? 'Telegram' : 'WhatsApp',
      lang: record.lang,
      threading: mode,
    });
    let thread: number;
    if (mode === 'topics') {
      const topic = await api.createForumTopic(chatId, t(lang, 'staff-topic-name', { code: record.code }));
      thread = topic.message_thread_id;
      await store.setStaffThread(record.id, thread, mode);
      await api.sendMessage(chatId, header, { message_thread_id: thread });
    } else {
      const root = await api.sendMessage(chatId, header);
      thread = root.message_id;
      await store.setStaffThread(record.id, thread, mode);
    }
    return thread;
  }

  /** Text to post, or evidence to re-upload. */
  function render(record: CaseRecord, entry: Entry, mode: Threading): string | FileEntry {
    const prefix = mode === 'replies' ? `${t(lang, 'staff-case-prefix', { code: record.code })}\n` : '';
    switch (entry.kind) {
      case 'report': {
        const { report } = entry;
        const header = t(lang, 'staff-report', {
          code: record.code,
          urgent: report.urgent ? 'yes' : 'no',
          complete: report.complete ? 'yes' : 'no',
        });
        return `${header}\n\n${formatReport(report, lang)}`;
      }
      case 'event':
        return prefix + t(lang, 'staff-event', { event: entry.event });
      case 'file':
        return entry;
      case 'text':
        return prefix + entry.text;
      case 'edit':
        return `${prefix}${t(lang, 'staff-edited')}\n${entry.text}`;
      case 'note':
        return prefix + t(lang, 'staff-unsupported', { media: entry.media });
      case 'notice': // Trustline's words to the reporter travel 'out' only; shown as is if ever found here
        return prefix + entry.text;
    }
  }

  function fileHeader(entry: FileEntry): string {
    return `${t(lang, 'staff-file', { media: entry.media })}${entry.name ? ` · ${entry.name}` : ''}`;
  }

  function placement(thread: number, mode: Threading) {
    return mode === 'topics'
      ? { message_thread_id: thread }
      : { reply_parameters: { message_id: thread, allow_sending_without_reply: true } };
  }

  /** Evidence goes back up decrypted, as the kind of message it came as. */
  async function sendFile(record: CaseRecord, thread: number, mode: Threading, entry: FileEntry): Promise<void> {
    const key = deps.caseLog.caseKey(record);
    const bytes = await deps.caseLog.readFile(record, key, entry).finally(() => key.fill(0));
    if (!bytes) return; // erased meanwhile: nothing left to show
    const header = (mode === 'replies' ? `${t(lang, 'staff-case-prefix', { code: record.code })}\n` : '') + fileHeader(entry);
    const full = entry.caption ? `${header}\n${entry.caption}` : header;
    const caption = full.length <= CAPTION_LIMIT ? full : header.slice(0, CAPTION_LIMIT);
    const file = new InputFile(bytes, entry.name ?? defaultName(entry));
    const options = { ...placement(thread, mode), caption };
    const sent =
      entry.media === 'photo'
        ? await api.sendPhoto(chatId, file, options)
        : entry.media === 'voice'
          ? await api.sendVoice(chatId, file, options)
          : entry.media === 'audio'
            ? await api.sendAudio(chatId, file, options)
            : entry.media === 'video'
              ? await api.sendVideo(chatId, file, options)
              : await api.sendDocument(chatId, file, options);
    if (mode === 'replies') await store.linkStaffMessage(sent.message_id, record.id);
    // A caption too long for Telegram follows as text rather than being cut.
    if (full !== caption && entry.caption) await send(record, thread, mode, entry.caption);
  }

  async function send(record: CaseRecord, thread: number, mode: Threading, content: string | FileEntry): Promise<void> {
    if (typeof content !== 'string') return sendFile(record, thread, mode, content);
    for (const part of splitText(content)) {
      const sent = await api.sendMessage(
        chatId,
        part,
        mode === 'topics'
          ? { message_thread_id: thread }
          : { reply_parameters: { message_id: thread, allow_sending_without_reply: true } },
      );
      // In a plain group, a counsellor answers by replying to any message of the case.
      if (mode === 'replies') await store.linkStaffMessage(sent.message_id, record.id);
    }
  }

  async function flush(caseId: CaseId): Promise<void> {
    const lease = await tryLease(deps.redis, `staff:${caseId}`, deps.leaseMs, { keepAlive: true });
    if (!lease) throw new NotYet('another worker is posting this case');
    try {
      const record = await store.get(caseId);
      if (!record) return;
      const mode = await deps.threading();
      const thread = await ensureThread(record, mode);
      if (record.status === 'closed' && record.done.in < record.count.in) await deps.reopen?.(record, thread, mode);
      const key = deps.caseLog.caseKey(record);
      try {
        for (let seq = record.done.in + 1; seq <= record.count.in; seq++) {
          const message = await deps.caseLog.read(record, key, 'in', seq);
          if (!message) throw new Error(`message ${seq} of the case is missing`);
          await send(record, thread, mode, render(record, message.entry, mode));
          // The cursor moves right after the send: a retry after a crash resumes here.
          await store.markDone(caseId, 'in', seq);
          deps.log.info({ event: 'staff.posted', case: record.code, seq, mode }, 'posted to the staff chat');
        }
      } finally {
        key.fill(0);
      }
      await store.clearPendingIfCaughtUp(caseId, 'in');
    } finally {
      await lease.release();
    }
  }

  /** The case was erased at the reporter's request: say so in its thread, naming only its code. */
  async function noticeErased(caseId: CaseId): Promise<void> {
    const erased = await deps.reporterCases.erased(caseId);
    if (!erased || erased.staffThread === undefined) return; // never posted: nothing to point at
    const mode = await deps.threading();
    await api.sendMessage(chatId, t(lang, 'staff-erased', { code: erased.code }), placement(erased.staffThread, mode));
    deps.log.info({ event: 'staff.erased', case: erased.code }, 'staff told a case was erased');
  }

  return { flush, noticeErased };
}

function defaultName(entry: FileEntry): string {
  const ext = entry.media === 'photo' ? 'jpg' : entry.media === 'voice' ? 'ogg' : entry.media === 'video' ? 'mp4' : entry.media === 'audio' ? 'mp3' : 'bin';
  return `evidence.${ext}`;
}

/** `auto` asks Telegram once whether the staff chat is a forum. */
export function threadingResolver(api: Api, chatId: number, configured: Threading | 'auto'): () => Promise<Threading> {
  let resolved: Promise<Threading> | undefined = configured === 'auto' ? undefined : Promise.resolve(configured);
  return () => {
    resolved ??= api.getChat(chatId).then((chat) => ('is_forum' in chat && chat.is_forum ? 'topics' : 'replies'));
    resolved.catch(() => {
      resolved = undefined; // try again next time rather than caching a failure
    });
    return resolved;
  };
}
