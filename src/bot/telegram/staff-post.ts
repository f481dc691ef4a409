// The staff edge, outbound: decrypts a case's pending messages and posts them to the
// staff chat under the case pseudonym, in order, each exactly once. When Telegram's
// limits are kept, the staff chat is the bottleneck (20 messages a minute): a case's
// waiting messages then travel together, as many as fit in one Telegram message, and
// its files in albums (each file is still a message of the 20).
import { InputFile, type Api } from 'grammy';
import type { Threading } from '../../config/index.js';
import { t } from '../../i18n/index.js';
import {
  type CaseId,
  type ChannelName,
  type CounsellorId,
  type DeskName,
  type Lang,
  type Logger,
  NotYet,
  RateLimited,
  retryAfterMs,
} from '../../shared/index.js';
import { type CaseLog, type Entry, type FileEntry, type Marked, answerMarked, questionLabel, reportMarked, words } from '../../cases/index.js';
import { renderMarked, splitMarked, withEntities, type MarkedText } from './staff-marked.js';
import { Stopping, type CaseRecord, type CaseStore, type Lease, type PrivateCopies, type Redis } from '../../store/index.js';
import { flushCase } from '../../relay/index.js';
import type { ReaderCopyJob } from '../../queue/index.js';
import type { StaffText } from '../../routing/index.js';
import { finishingMessage, withSlotTaken } from './limits.js';
import { deleteInBatches } from './delete.js';
import { TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT } from './text.js';
import type { StaffDesks } from './staff-desks.js';

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
  /** the staff chats: a case is posted in its desk's */
  desks: StaffDesks;
  lang: Lang;
  leaseMs: number;
  /** The reporter wrote in a closed case: reopen it (status, topic) before posting. */
  reopen?: (record: CaseRecord, thread: number, mode: Threading) => Promise<void>;
  /**
   * The flood budget for staff-chat sends. Set when Trustline keeps to Telegram's
   * limits; then waiting messages are joined, evidence goes up in albums, and a case
   * that finds no slot hands the queue back to wait.
   */
  staffSlots?: StaffSlots;
  /** A reporter's message stored at `storedAt` (ms) is now in the staff chat (delivery-time metrics). */
  onPosted?: (channel: ChannelName, storedAt: number) => void;
  /** STAFF_VISIBILITY=assigned: the content goes to the private chat of the counsellor holding the case. */
  assigned?: AssignedCopies;
  /**
   * Routing's first word on the case (who has it, or when the next shift is), rendered, for
   * its first post to carry when posts are counted (staffSlot): one post per case opening.
   */
  openingText?: (record: CaseRecord) => Promise<MarkedText | undefined>;
}

/** Telegram's flood budget as the staff edge asks it. */
export interface StaffSlots {
  /** One send to the staff chat: 0 when taken, else ms until one might be free. */
  take(chatId: number, urgent: boolean): Promise<number>;
  /** Further messages of the send just taken (an album's items): how many of `want` may go with it now. */
  more(chatId: number, urgent: boolean, want: number): Promise<number>;
}

/** Where need-to-know mode posts a case: its holder's private chat with the bot. */
export interface AssignedCopies {
  readonly copies: PrivateCopies;
  /** a staff member's private chat with the bot (their Telegram user id) */
  readonly chatOf: (id: CounsellorId) => Promise<number | undefined>;
  /** what the case's card in the shared chat says now */
  readonly cardOf: (record: CaseRecord) => Promise<StaffText>;
}

type AlbumItem = Parameters<Api['sendMediaGroup']>[1][number];

/** Telegram's largest album. */
const ALBUM_ITEMS = 10;
/** An album is one upload request: Telegram takes 50 MB; a margin for the framing. */
const ALBUM_BYTES = 45 * 1024 * 1024;

/** The staff edge, outbound. */
export interface StaffPost {
  /**
   * Posts a case's messages not yet in the staff chat, in order, under the case's lease
   * (a staff-post job). `line`: the job of a new case's first post, which posts the oldest
   * opening in that staff chat's line when posts are counted, whichever case it is.
   */
  readonly flush: (caseId: CaseId, jobId: string, line?: DeskName) => Promise<void>;
  /** Need-to-know mode: a supervisor opened the case; their private chat gets it as it is now, once. */
  readonly postReaderCopy: (job: ReaderCopyJob) => Promise<void>;
}

export function createStaffPost(deps: StaffPostDeps): StaffPost {
  const { api, store, lang } = deps;
  const chatOf = (record: CaseRecord) => deps.desks.of(record.desk).chatId;

  function caseHeader(record: CaseRecord, mode: Threading): string {
    return t(lang, 'staff-case-opened', {
      code: record.code,
      channel: record.channel === 'telegram' ? 'Telegram' : 'WhatsApp',
      lang: record.lang,
      threading: mode,
      kind: record.kind,
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
    const chatId = chatOf(record);
    if (mode === 'topics') {
      // Not counted by the emulator (nor documented as counted by Telegram): no slot asked.
      const topic = await api.createForumTopic(chatId, t(lang, 'staff-topic-name', { code: record.code }));
      await store.setStaffThread(record.id, record.desk, topic.message_thread_id, mode);
      if (!joining) await api.sendMessage(chatId, caseHeader(record, mode), { message_thread_id: topic.message_thread_id });
      return topic.message_thread_id;
    }
    if (joining) return undefined;
    const root = await api.sendMessage(chatId, caseHeader(record, mode));
    await store.setStaffThread(record.id, record.desk, root.message_id, mode);
    return root.message_id;
  }

  /** Throws RateLimited when the staff chat has no room: the job goes back, the cursor is where it was. */
  async function claimSlot(record: CaseRecord): Promise<void> {
    if (!deps.staffSlots) return;
    const wait = await deps.staffSlots.take(chatOf(record), record.urgent);
    if (wait > 0) throw new RateLimited(wait);
  }

  /** The first counted request in `send` uses the slot claimSlot took; later parts wait for their own. */
  function paid<T>(send: () => Promise<T>): Promise<T> {
    return deps.staffSlots ? withSlotTaken(send) : send();
  }

  /** In a plain group every post names its case; a report's own heading already does. */
  function prefixFor(record: CaseRecord, entry: Entry, mode: Threading): string {
    return mode === 'replies' && entry.kind !== 'report' ? `${t(lang, 'staff-case-prefix', { code: record.code })}\n` : '';
  }

  /** The text of an entry (evidence is posted by sendFile), the reporter's words marked as theirs. */
  function body(record: CaseRecord, entry: Exclude<Entry, FileEntry>): Marked {
    switch (entry.kind) {
      case 'report': {
        const { report } = entry;
        const header = t(lang, 'staff-report', {
          code: record.code,
          urgent: report.urgent ? 'yes' : 'no',
          complete: report.complete ? 'yes' : 'no',
        });
        const unanswered = report.unanswered?.length ? [`\n\n${unansweredLine(report.unanswered)}`] : [];
        return [`${header}\n\n`, ...reportMarked(report, lang), ...unanswered];
      }
      case 'answer':
        return [
          `${t(lang, 'staff-answer', { code: record.code })}\n${questionLabel(lang, entry.step)}: `,
          answerMarked(lang, entry.step, entry.value),
          `\n${entry.unanswered.length ? unansweredLine(entry.unanswered) : t(lang, 'staff-all-answered')}`,
        ];
      case 'event':
        return [t(lang, 'staff-event', { event: entry.event })];
      case 'text':
        return [words(entry.text)];
      case 'edit':
        return [`${t(lang, 'staff-edited')}\n`, words(entry.text)];
      case 'note':
        return [t(lang, 'staff-unsupported', { media: entry.media })];
      case 'notice': // Trustline's words to the reporter travel 'out' only; shown as is if ever found here
        return [entry.text];
      case 'correction': // travels 'out' only, like a notice
        return [words(entry.text)];
    }
  }

  /** So the counsellor can ask in their own words what the questions did not cover. */
  function unansweredLine(steps: readonly string[]): string {
    return t(lang, 'staff-unanswered', { questions: steps.map((step) => questionLabel(lang, step)).join(', ') });
  }

  const isFile = (entry: Entry): entry is FileEntry => entry.kind === 'file';

  /**
   * As many of the run's messages as fit in one Telegram message after `head` (at
   * least the first, split later if it alone is too long). Stops before evidence,
   * which is an upload of its own.
   */
  function join(record: CaseRecord, run: { seq: number; entry: Entry }[], mode: Threading, head: string): { text: MarkedText; last: number; joined: number } {
    const first = run[0]!.entry as Exclude<Entry, FileEntry>;
    let marked: Marked = [head + prefixFor(record, first, mode), ...body(record, first)];
    let text = renderMarked(marked);
    let joined = 1;
    for (const m of run.slice(1)) {
      if (isFile(m.entry)) break;
      const longer: Marked = [...marked, JOINED_SEPARATOR, ...body(record, m.entry)];
      const rendered = renderMarked(longer);
      if (rendered.text.length > TELEGRAM_TEXT_LIMIT) break;
      marked = longer;
      text = rendered;
      joined++;
    }
    return { text, last: run[joined - 1]!.seq, joined };
  }

  /** The first post with routing's notice after it, if it has one and both fit in one message. */
  async function withOpening(record: CaseRecord, text: MarkedText): Promise<{ text: MarkedText; key: string } | undefined> {
    if (!record.opening || !deps.openingText) return undefined;
    const opening = await deps.openingText(record);
    if (!opening) return undefined;
    const at = text.text.length + 2;
    const joined = { text: `${text.text}\n\n${opening.text}`, entities: [...text.entities, ...opening.entities.map((e) => ({ ...e, offset: e.offset + at }))] };
    return joined.text.length <= TELEGRAM_TEXT_LIMIT ? { text: joined, key: record.opening.key } : undefined;
  }

  function placement(thread: number, mode: Threading) {
    return mode === 'topics' ? { message_thread_id: thread } : { reply_parameters: { message_id: thread, allow_sending_without_reply: true } };
  }

  /** The file's kind only: the name the reporter's phone gave it ("Aigerim_complaint.docx") can name them. */
  function fileHeader(entry: FileEntry): Marked {
    const masked = entry.masked ? [`\n${t(lang, 'staff-file-masked')}`] : [];
    const warning = entry.cleaned === false ? [`\n${t(lang, 'staff-file-not-cleaned')}`] : [];
    return [t(lang, 'staff-file', { media: entry.media }), ...masked, ...warning];
  }

  /**
   * Evidence goes back up decrypted, as the kind of message it came as; `head` (the
   * case header) opens its caption when it is the case's first post. Without a thread
   * yet, the upload becomes the case's root. Returns the thread.
   */
  async function sendFile(
    record: CaseRecord,
    thread: number | undefined,
    mode: Threading,
    entry: FileEntry,
    head: string,
    seq: number,
  ): Promise<number | undefined> {
    const upload = await evidenceUpload(record, entry, seq, [head + prefixFor(record, entry, mode), ...fileHeader(entry)]);
    if (!upload) return thread; // erased meanwhile: nothing left to show
    const options = withEntities(upload.caption, { ...(thread === undefined ? {} : placement(thread, mode)), ...upload.options }, 'caption_entities');
    const sent = await paid(() => uploadEvidence(api, chatOf(record), upload.as, upload.file, options));
    // A later message is linked to the case by recordCaseMessages (it replies to the root).
    if (thread === undefined) {
      thread = sent.message_id;
      await store.setStaffThread(record.id, record.desk, thread, mode, 'f');
    }
    // A caption too long for Telegram follows as text rather than being cut (with a slot
    // of its own, and finished even while stopping: the upload is already in the chat).
    if (upload.overflow) thread = await send(record, thread, mode, renderMarked([words(upload.overflow)]), 'continued');
    return thread;
  }

  /**
   * Evidence that came one file after another goes up as albums when posts are counted:
   * the files at the start of `run` that Telegram lets share one (photos with videos,
   * documents with documents, audio with audio; never voice notes), at most 10 and 45 MB,
   * as many as the group's minute has room for beside the slot in hand. Each keeps its own
   * caption; a caption too long for one stays for a post of its own. Returns the thread and
   * the last message posted, or undefined when the run does not start with two such files.
   */
  async function sendAlbum(
    record: CaseRecord,
    thread: number | undefined,
    mode: Threading,
    run: { seq: number; entry: Entry }[],
    head: string,
  ): Promise<{ thread: number | undefined; last: number } | undefined> {
    const files: { seq: number; entry: FileEntry }[] = [];
    let bytes = 0;
    for (const m of run) {
      if (!isFile(m.entry) || files.length === ALBUM_ITEMS || albumKind(m.entry) === undefined) break;
      if (files.length && albumKind(m.entry) !== albumKind(files[0]!.entry)) break;
      if (files.length && bytes + m.entry.size > ALBUM_BYTES) break;
      if (renderMarked(withCaption(albumHeader(record, m.entry, mode, files.length === 0, head), m.entry)).text.length > TELEGRAM_CAPTION_LIMIT) break;
      files.push({ seq: m.seq, entry: m.entry });
      bytes += m.entry.size;
    }
    if (files.length < 2 || !deps.staffSlots) return undefined;
    const more = await deps.staffSlots.more(chatOf(record), record.urgent, files.length - 1);
    if (more === 0) return undefined;
    const going = files.slice(0, 1 + more);
    const media: AlbumItem[] = [];
    for (const [i, { seq, entry }] of going.entries()) {
      const upload = await evidenceUpload(record, entry, seq, albumHeader(record, entry, mode, i === 0, head));
      if (!upload) continue; // erased meanwhile
      media.push(withEntities(upload.caption, { type: albumType(upload.as), media: upload.file, ...upload.options }, 'caption_entities'));
    }
    const last = going.at(-1)!.seq;
    if (media.length === 0) return { thread, last };
    // Albums are of one kind group (albumKind), as Telegram's types want them.
    const album = media as Parameters<Api['sendMediaGroup']>[1];
    const sent = await paid(() => api.sendMediaGroup(chatOf(record), album, thread === undefined ? {} : placement(thread, mode)));
    if (thread === undefined) {
      thread = sent[0]!.message_id;
      await store.setStaffThread(record.id, record.desk, thread, mode, 'f');
    }
    return { thread, last };
  }

  /** An album item's header: the first names the case (and opens it with `head`), the rest only say what they are. */
  function albumHeader(record: CaseRecord, entry: FileEntry, mode: Threading, first: boolean, head: string): Marked {
    return first ? [head + prefixFor(record, entry, mode), ...fileHeader(entry)] : fileHeader(entry);
  }

  /** A file's header with the reporter's own caption after it, as its caption says it. */
  function withCaption(header: Marked, entry: FileEntry): Marked {
    return entry.caption ? [...header, '\n', words(entry.caption)] : header;
  }

  /**
   * A file of the case ready to go up again: decrypted (undefined once erased), under a
   * neutral name, as the kind of message it is posted as, with `header` and the reporter's
   * caption as its caption; a caption too long for Telegram is left as `overflow`, to
   * follow as text rather than be cut.
   */
  async function evidenceUpload(record: CaseRecord, entry: FileEntry, seq: number, header: Marked) {
    const key = deps.caseLog.caseKey(record);
    const bytes = await deps.caseLog.readFile(record, key, entry).finally(() => key.fill(0));
    if (!bytes) return undefined;
    const full = renderMarked(withCaption(header, entry));
    const fits = full.text.length <= TELEGRAM_CAPTION_LIMIT;
    const caption = fits ? full : splitMarked(renderMarked(header), TELEGRAM_CAPTION_LIMIT)[0]!;
    const as = postedAs(entry);
    // Blurred until tapped: nobody sees an evidence picture just by scrolling past it.
    const spoiler = as === 'photo' || as === 'video' ? { has_spoiler: true } : {};
    return {
      file: new InputFile(bytes, neutralName(entry, seq)),
      as,
      caption,
      options: { caption: caption.text, ...spoiler },
      ...(!fits && entry.caption ? { overflow: entry.caption } : {}),
    };
  }

  /** `text` in as many messages as it takes, finished even while stopping; their ids. */
  async function sendParts(chat: number, text: MarkedText): Promise<number[]> {
    const ids: number[] = [];
    for (const part of splitMarked(text)) ids.push((await finishingMessage(() => api.sendMessage(chat, part.text, withEntities(part, {})))).message_id);
    return ids;
  }

  /**
   * Posts `text` (in parts if it must); without a thread yet, the first part becomes the
   * case's root. `paid`: the first part uses the slot claimSlot took; `continued`: the text
   * goes on a message already posted. Once something of the message is in the chat, the
   * rest is sent even while the process stops. Returns the thread.
   */
  async function send(
    record: CaseRecord,
    thread: number | undefined,
    mode: Threading,
    text: MarkedText,
    first: 'paid' | 'continued' = 'paid',
  ): Promise<number> {
    for (const [i, part] of splitMarked(text).entries()) {
      const where = withEntities(part, thread === undefined ? {} : placement(thread, mode));
      const post = () => api.sendMessage(chatOf(record), part.text, where);
      const sent = i === 0 && first === 'paid' ? await paid(post) : await finishingMessage(post);
      // In a plain group, a counsellor answers by replying to any message of the case: the
      // root is linked here, every later post by recordCaseMessages (it replies to the root).
      if (thread === undefined) {
        thread = sent.message_id;
        await store.setStaffThread(record.id, record.desk, thread, mode);
      }
    }
    return thread!;
  }

  async function flush(caseId: CaseId, jobId: string, line?: DeskName): Promise<void> {
    // Need-to-know mode: a copy in the wrong private chat is work too, with nothing new to post.
    const moved = deps.assigned ? (record: CaseRecord) => record.copyHolder !== record.assignee : undefined;
    if (line === undefined) return flushCase(deps, 'in', caseId, jobId, post, moved);
    // Every opening has a job and a place in line; each job posts the oldest in line, so
    // under a backlog reports go up in the order they came even if handled out of it.
    const target = deps.staffSlots && !deps.assigned ? await firstInLine(line, caseId) : caseId;
    try {
      await flushCase(deps, 'in', target, jobId, post, moved);
    } catch (err) {
      if (target === caseId || isWaiting(err)) throw err;
      // The other case's own job keeps its retries; this one does not stall the line on it.
      deps.log.warn({ event: 'staff.line-skipped', err }, 'the oldest opening in line could not be posted; posting the next');
      await store.leaveLine(line, target);
      return flush(caseId, jobId, line);
    }
    const after = await store.get(target);
    if (!after || after.done.in > 0) await store.leaveLine(line, target);
  }

  /** The oldest case in the line still waiting for its first post (dropping those posted or gone meanwhile). */
  async function firstInLine(desk: DeskName, own: CaseId): Promise<CaseId> {
    for (;;) {
      const line = await store.openingLine(desk);
      if (line.length === 0) return own;
      for (const id of line) {
        if (id === own) return own;
        const record = await store.get(id);
        if (record && record.done.in === 0 && record.desk === desk) return id;
        await store.leaveLine(desk, id);
      }
    }
  }

  /**
   * Need-to-know mode: the case goes to its holder's private chat, every post headed by
   * the case code. A new holder gets the whole case from its first message (decrypted
   * from the case log, not forwarded), and the previous holder's copy is deleted.
   */
  async function postPrivately(record: CaseRecord, lease: Lease, assigned: AssignedCopies): Promise<void> {
    const holder = record.assignee;
    let done = record.done.in;
    if (record.copyHolder !== holder) {
      // Access follows the case: whoever held it before loses their copy at once.
      const from = record.copyHolder;
      const old = await assigned.copies.handOver(record.id, from, holder);
      done = 0;
      const oldChat = from && old.length ? await assigned.chatOf(from) : undefined;
      if (oldChat !== undefined) {
        // Telegram refuses messages older than 48 hours: what is left is logged (counted, never shown).
        await deleteInBatches(api, oldChat, old, (err) =>
          deps.log.warn({ event: 'staff.copy-delete-refused', case: record.code, code: err.error_code }, "could not delete the previous holder's copy"),
        );
      }
    }
    if (!holder) return; // nobody holds it now: posted to whoever it is assigned to next
    const chat = await assigned.chatOf(holder);
    if (chat === undefined) throw new NotYet('the holder of the case is not on the roster any more');
    const key = deps.caseLog.caseKey(record);
    try {
      // A copy that starts from the beginning (a new holder) also shows what the reporter
      // was told so far, each answer where it came. Should this post be cut short, what
      // was told after the point reached is not shown again: the reporter's words are.
      const told = done === 0 ? await readAll(record, key, 'out', record.count.out) : [];
      const tell = async (upTo: number) => {
        while (told.length && told[0]!.entry.at <= upTo) {
          for (const id of await sendTold(record, chat, told.shift()!.entry)) await assigned.copies.link(holder, record.id, id);
        }
      };
      const count = record.count.in;
      while (done < count) {
        if (!lease.held()) throw new NotYet('the lease on this case lapsed');
        const run = await deps.caseLog.readRun(record, key, 'in', done + 1, count, 1);
        if (run.length === 0) throw new Error(`message ${done + 1} of the case is missing`);
        const { seq, entry } = run[0]!;
        await tell(entry.at);
        const sent = isFile(entry) ? await sendPrivateFile(record, chat, entry, seq) : await sendPrivateText(record, chat, entry);
        for (const id of sent) await assigned.copies.link(holder, record.id, id);
        await store.markDone(record.id, 'in', seq);
        done = seq;
        if (!isFile(entry)) deps.onPosted?.(record.channel, entry.at);
        deps.log.info({ event: 'staff.posted', case: record.code, seq, mode: 'assigned' }, "posted to the holder's private chat");
      }
      await tell(Infinity);
    } finally {
      key.fill(0);
    }
  }

  /** Every entry of one direction, in order. */
  async function readAll(record: CaseRecord, key: Uint8Array, dir: 'in' | 'out', count: number): Promise<{ seq: number; entry: Entry }[]> {
    const all: { seq: number; entry: Entry }[] = [];
    while (all.length < count) {
      const run = await deps.caseLog.readRun(record, key, dir, all.length + 1, count, JOIN_READ);
      if (run.length === 0) break; // a gap: show what there is
      all.push(...run);
    }
    return all;
  }

  /** What the reporter was told (a counsellor's answer or correction, Trustline's own notice), in a copy made afterwards. */
  async function sendTold(record: CaseRecord, chat: number, entry: Entry): Promise<number[]> {
    if (entry.kind !== 'text' && entry.kind !== 'correction' && entry.kind !== 'notice') return [];
    const label = t(lang, entry.kind === 'notice' ? 'staff-history-notice' : 'staff-history-answer');
    return sendParts(chat, renderMarked([`${t(lang, 'staff-case-prefix', { code: record.code })}\n${label}\n${entry.text}`]));
  }

  /**
   * Need-to-know mode: a supervisor opened the case (/open, audited). Their private chat
   * gets it as it is now, both directions in the order they were written, under a line
   * that says so; later messages do not follow. Linked like a holder's copy, so erasing
   * the case, or taking them off the roster, deletes it.
   */
  async function postReaderCopy(job: ReaderCopyJob): Promise<void> {
    const assigned = deps.assigned;
    const record = await store.get(job.caseId);
    if (!assigned || !record) return; // erased meanwhile: nothing to read
    const reader = job.reader as CounsellorId;
    const chat = await assigned.chatOf(reader);
    if (chat === undefined) return; // off the roster meanwhile
    const link = async (ids: number[]) => {
      for (const id of ids) await assigned.copies.link(reader, record.id, id);
    };
    await link([(await api.sendMessage(chat, t(lang, 'staff-opened-copy', { code: record.code }))).message_id]);
    const key = deps.caseLog.caseKey(record);
    try {
      const [reporter, told] = await Promise.all([readAll(record, key, 'in', record.count.in), readAll(record, key, 'out', record.count.out)]);
      const merged = [...reporter.map((m) => ({ ...m, dir: 'in' as const })), ...told.map((m) => ({ ...m, dir: 'out' as const }))];
      merged.sort((a, b) => a.entry.at - b.entry.at);
      for (const { seq, entry, dir } of merged) {
        if (dir === 'out') await link(await sendTold(record, chat, entry));
        else await link(isFile(entry) ? await sendPrivateFile(record, chat, entry, seq) : await sendPrivateText(record, chat, entry));
      }
    } finally {
      key.fill(0);
    }
    deps.log.info({ event: 'staff.reader-copy', case: record.code }, "a case was posted to a supervisor's private chat to read");
  }

  /** A message of the case in a private chat: always headed by its code, the report by its own heading. */
  async function sendPrivateText(record: CaseRecord, chat: number, entry: Exclude<Entry, FileEntry>): Promise<number[]> {
    return sendParts(chat, renderMarked([prefixFor(record, entry, 'replies'), ...body(record, entry)]));
  }

  async function sendPrivateFile(record: CaseRecord, chat: number, entry: FileEntry, seq: number): Promise<number[]> {
    const upload = await evidenceUpload(record, entry, seq, [prefixFor(record, entry, 'replies'), ...fileHeader(entry)]);
    if (!upload) return [];
    const sent = await uploadEvidence(api, chat, upload.as, upload.file, withEntities(upload.caption, upload.options, 'caption_entities'));
    const ids = [sent.message_id];
    if (upload.overflow) ids.push(...(await sendPrivateText(record, chat, { kind: 'text', text: upload.overflow, at: entry.at })));
    return ids;
  }

  async function post(record: CaseRecord, lease: Lease): Promise<void> {
    if (deps.assigned) return postPrivately(record, lease, deps.assigned);
    const mode = await deps.desks.of(record.desk).threading();
    const joining = deps.staffSlots !== undefined;
    // A new case only starts (its topic created) once it has a slot for its first post.
    let slotInHand = false;
    if (record.staffThread === undefined) {
      await claimSlot(record);
      slotInHand = joining;
    }
    let thread = await ensureThread(record, mode, joining);
    // A closed case has its thread from before.
    if (record.status === 'closed' && thread !== undefined) await deps.reopen?.(record, thread, mode);
    const key = deps.caseLog.caseKey(record);
    try {
      let done = record.done.in;
      let count = record.count.in;
      while (done < count) {
        if (!lease.held()) throw new NotYet('the lease on this case lapsed');
        if (!slotInHand) await claimSlot(record);
        slotInHand = false;
        // Messages that came while this case waited for its slot go in the same post.
        if (joining) count = await store.count(record.id, 'in');
        const run = await deps.caseLog.readRun(record, key, 'in', done + 1, count, joining ? JOIN_READ : 1);
        // An append writes the count and the message together: a gap is a fault, not a race.
        if (run.length === 0) throw new Error(`message ${done + 1} of the case is missing`);
        const head = joining && done === 0 ? `${caseHeader(record, mode)}\n\n` : '';
        const first = run[0]!;
        let last: number;
        let joined = 1;
        const album = joining && isFile(first.entry) ? await sendAlbum(record, thread, mode, run, head) : undefined;
        if (album) {
          ({ thread, last } = album);
          joined = last - first.seq + 1;
        } else if (isFile(first.entry)) {
          thread = await sendFile(record, thread, mode, first.entry, head, first.seq);
          last = first.seq;
        } else {
          const post = join(record, run, mode, head);
          const opening = joining && done === 0 ? await withOpening(record, post.text) : undefined;
          thread = await send(record, thread, mode, opening?.text ?? post.text);
          if (opening) await store.markOpened(record.id, opening.key);
          ({ last, joined } = post);
        }
        // The cursor moves right after the send: a retry after a crash resumes here.
        await store.markDone(record.id, 'in', last);
        done = last;
        // Evidence is not timed: its time is its upload during the questions, often long before the report.
        if (!isFile(first.entry)) for (const m of run.slice(0, joined)) deps.onPosted?.(record.channel, m.entry.at);
        deps.log.info({ event: 'staff.posted', case: record.code, seq: last, joined, mode }, 'posted to the staff chat');
      }
    } finally {
      key.fill(0);
    }
  }

  return { flush, postReaderCopy };
}

/** The post waits its turn (the flood budget, a lease, a stop): not a failure of the case. */
function isWaiting(err: unknown): boolean {
  return err instanceof RateLimited || err instanceof NotYet || err instanceof Stopping || retryAfterMs(err) !== undefined;
}

/** Evidence goes back up as the kind of message it came as. */
function uploadEvidence(api: Api, chat: number, media: FileEntry['media'], file: InputFile, options: object): Promise<{ message_id: number }> {
  switch (media) {
    case 'photo':
      return api.sendPhoto(chat, file, options);
    case 'voice':
      return api.sendVoice(chat, file, options);
    case 'audio':
      return api.sendAudio(chat, file, options);
    case 'video':
      // A round video or a video shows faces and places: blurred until someone taps it on purpose.
      return api.sendVideo(chat, file, { ...options, has_spoiler: true });
    default:
      return api.sendDocument(chat, file, options);
  }
}

/** Which files Telegram lets share an album: photos with videos, documents and audio each with their own kind, voice notes never. */
function albumKind(entry: FileEntry): 'visual' | 'document' | 'audio' | undefined {
  const as = postedAs(entry);
  return as === 'photo' || as === 'video' ? 'visual' : as === 'document' || as === 'audio' ? as : undefined;
}

function albumType(media: FileEntry['media']): 'photo' | 'video' | 'document' | 'audio' {
  return media === 'photo' || media === 'video' || media === 'audio' ? media : 'document';
}

/** A file that could not be cleaned goes up as a download, opened only on purpose; the rest as what they came as. */
function postedAs(entry: FileEntry): FileEntry['media'] {
  return entry.cleaned === false ? 'document' : entry.media;
}

/** `evidence-3.pdf`: the case's message number and the file's type, never the reporter's own name for it. */
export function neutralName(entry: Pick<FileEntry, 'media' | 'name' | 'mime' | 'ext'>, seq: number): string {
  if (entry.ext) return `evidence-${seq}.${entry.ext}`;
  // Cases from before cleaning kept the name the reporter's phone gave the file: its extension only.
  const fromName = /\.([a-z0-9]{1,5})$/i.exec(entry.name ?? '')?.[1]?.toLowerCase();
  const fromMime = entry.mime === 'application/pdf' ? 'pdf' : undefined;
  const byMedia = entry.media === 'photo' ? 'jpg' : entry.media === 'voice' ? 'ogg' : entry.media === 'video' ? 'mp4' : entry.media === 'audio' ? 'mp3' : 'bin';
  return `evidence-${seq}.${fromName ?? fromMime ?? byMedia}`;
}
