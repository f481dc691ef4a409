// The staff edge, outbound: decrypts a case's pending messages and posts them to the
// staff chat under the case pseudonym, in order, each exactly once.
import type { Api } from 'grammy';
import type { Threading } from '../config.js';
import { t } from '../flows/i18n.js';
import type { CaseId, Lang } from '../ids.js';
import type { Logger } from '../log.js';
import { NotYet } from '../queue/failures.js';
import type { CaseLog, Entry } from '../routing/case-log.js';
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
  lang: Lang;
  threading: () => Promise<Threading>;
  leaseMs: number;
  /** The reporter wrote in a closed case: reopen it (status, topic) before posting. */
  reopen?: (record: CaseRecord, thread: number, mode: Threading) => Promise<void>;
}

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

  function render(record: CaseRecord, entry: Entry, mode: Threading): string {
    const prefix = mode === 'replies' ? `${t(lang, 'staff-case-prefix', { code: record.code })}\n` : '';
    switch (entry.kind) {
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

  async function send(record: CaseRecord, thread: number, mode: Threading, text: string): Promise<void> {
    for (const part of splitText(text)) {
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

  return { flush };
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
