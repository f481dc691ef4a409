// The staff edge, outbound: decrypts a case's pending messages and posts them to the
// staff chat under the case pseudonym, in order, each exactly once. When Telegram's
// limits are kept, the staff chat is the bottleneck (20 messages a minute): a case's
// waiting messages then travel together, as many as fit in one Telegram message.
import type { Api } from 'grammy';
import type { Threading } from '../config.js';
import { t } from '../flows/i18n.js';
import type { CaseId, Lang } from '../ids.js';
import type { Logger } from '../log.js';
import { NotYet, RateLimited } from '../queue/failures.js';
import type { CaseLog, Entry } from '../routing/case-log.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';
import { claimOrHandOver, type Lease } from '../store/lock.js';
import type { Redis } from '../store/redis.js';
import { withSlotTaken } from './telegram-limits.js';
import { splitText, TELEGRAM_TEXT_LIMIT } from './telegram-text.js';

/** Between the messages of a case joined into one post. */
export const JOINED_SEPARATOR = '\n\n· · ·\n\n';
/** How many waiting messages one flush reads at a time when joining. */
const JOIN_READ = 50;

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
  /**
   * Asks the flood budget for one staff-chat send: 0 when taken, else ms until one
   * might be free. Set when Trustline keeps to Telegram's limits; then waiting
   * messages are joined, and a case that finds no slot hands the queue back to wait.
   */
  staffSlot?: () => Promise<number>;
}

export function createStaffPost(deps: StaffPostDeps) {
  const { api, store, chatId, lang } = deps;

  function caseHeader(record: CaseRecord, mode: Threading): string {
    return t(lang, 'staff-case-opened', {
      code: record.code,
      channel: record.channel === 'telegram' ? 'Telegram' : 'WhatsApp',
      lang: record.lang,
      threading: mode,
    });
  }

  /**
   * Topic per case, or a root message that replies thread under. Created once, under
   * the lease. When joining, the header is not a message of its own: it opens the
   * case's first post (in a plain group that post is the root), so a new case costs
   * the staff chat one message of its 20 a minute, not two. Returns undefined when the
   * first post will create the thread.
   */
  async function ensureThread(record: CaseRecord, mode: Threading, joining: boolean): Promise<number | undefined> {
    if (record.staffThread !== undefined) return record.staffThread;
    if (mode === 'topics') {
      // Not counted by the emulator (nor documented as counted by Telegram): no slot asked.
      const topic = await api.createForumTopic(chatId, t(lang, 'staff-topic-name', { code: record.code }));
      await store.setStaffThread(record.id, topic.message_thread_id, mode);
      if (!joining) await api.sendMessage(chatId, caseHeader(record, mode), { message_thread_id: topic.message_thread_id });
      return topic.message_thread_id;
    }
    if (joining) return undefined;
    const root = await api.sendMessage(chatId, caseHeader(record, mode));
    await store.setStaffThread(record.id, root.message_id, mode);
    return root.message_id;
  }

  /** Throws RateLimited when the staff chat has no room: the job goes back, the cursor is where it was. */
  async function claimSlot(): Promise<void> {
    if (!deps.staffSlot) return;
    const wait = await deps.staffSlot();
    if (wait > 0) throw new RateLimited(wait);
  }

  /** The first counted request in `send` uses the slot claimSlot took; later parts wait for their own. */
  function paid<T>(send: () => Promise<T>): Promise<T> {
    return deps.staffSlot ? withSlotTaken(send) : send();
  }

  function body(entry: Entry): string {
    switch (entry.kind) {
      case 'text':
        return entry.text;
      case 'edit':
        return `${t(lang, 'staff-edited')}\n${entry.text}`;
      case 'note':
        return t(lang, 'staff-unsupported', { media: entry.media });
    }
  }

  /**
   * As many of the run's messages as fit in one Telegram message after `head` (at
   * least the first, split later if it alone is too long).
   */
  function join(record: CaseRecord, run: { seq: number; entry: Entry }[], mode: Threading, head: string): { text: string; last: number; joined: number } {
    const prefix = mode === 'replies' ? `${t(lang, 'staff-case-prefix', { code: record.code })}\n` : '';
    let text = head + prefix + body(run[0]!.entry);
    let joined = 1;
    for (const m of run.slice(1)) {
      const longer = text + JOINED_SEPARATOR + body(m.entry);
      if (longer.length > TELEGRAM_TEXT_LIMIT) break;
      text = longer;
      joined++;
    }
    return { text, last: run[joined - 1]!.seq, joined };
  }

  /** Posts `text` (in parts if it must); without a thread yet, the first part becomes the case's root. Returns the thread. */
  async function send(record: CaseRecord, thread: number | undefined, mode: Threading, text: string): Promise<number> {
    for (const [i, part] of splitText(text).entries()) {
      const where =
        thread === undefined
          ? {}
          : mode === 'topics'
            ? { message_thread_id: thread }
            : { reply_parameters: { message_id: thread, allow_sending_without_reply: true } };
      const sent = i === 0 ? await paid(() => api.sendMessage(chatId, part, where)) : await api.sendMessage(chatId, part, where);
      if (thread === undefined) {
        thread = sent.message_id;
        await store.setStaffThread(record.id, thread, mode);
      }
      // In a plain group, a counsellor answers by replying to any message of the case.
      else if (mode === 'replies') await store.linkStaffMessage(sent.message_id, record.id);
    }
    return thread!;
  }

  /** `jobId` names the lease's owner, so a retry of this job takes back a lease it left behind. */
  async function flush(caseId: CaseId, jobId: string): Promise<void> {
    const lease = await claimOrHandOver(deps.redis, `staff:${caseId}`, jobId, deps.leaseMs);
    if (!lease) return; // the worker posting this case now takes this message along
    try {
      for (;;) {
        const record = await store.get(caseId);
        if (record) {
          // Nothing waiting (an earlier run took this job's message along): no slot spent.
          if (record.done.in < record.count.in) await post(record, lease);
          await store.clearPendingIfCaughtUp(caseId, 'in');
        }
        if (await lease.releaseIfIdle()) return;
      }
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  async function post(record: CaseRecord, lease: Lease): Promise<void> {
    const mode = await deps.threading();
    const joining = deps.staffSlot !== undefined;
    // A new case only starts (its topic created) once it has a slot for its first post.
    let slotInHand = false;
    if (record.staffThread === undefined) {
      await claimSlot();
      slotInHand = joining;
    }
    let thread = await ensureThread(record, mode, joining);
    const key = deps.caseLog.caseKey(record);
    try {
      let done = record.done.in;
      let count = record.count.in;
      while (done < count) {
        if (!lease.held()) throw new NotYet('the lease on this case lapsed');
        if (!slotInHand) await claimSlot();
        slotInHand = false;
        // Messages that came while this case waited for its slot go in the same post.
        if (joining) count = await store.count(record.id, 'in');
        const run = await deps.caseLog.readRun(record, key, 'in', done + 1, count, joining ? JOIN_READ : 1);
        if (run.length === 0) throw new NotYet('a message of this case is still being written');
        const head = joining && done === 0 ? `${caseHeader(record, mode)}\n\n` : '';
        const { text, last, joined } = join(record, run, mode, head);
        thread = await send(record, thread, mode, text);
        // The cursor moves right after the send: a retry after a crash resumes here.
        await store.markDone(record.id, 'in', last);
        done = last;
        deps.log.info({ event: 'staff.posted', case: record.code, seq: last, joined, mode }, 'posted to the staff chat');
      }
    } finally {
      key.fill(0);
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
