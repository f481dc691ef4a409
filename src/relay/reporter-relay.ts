// The reporter edge, outbound: opens a case's sealed return address only for the
// moment of sending, and delivers counsellor answers in order, each exactly once. A
// reporter with several cases (/new) is told which case an answer is about, and their
// reply goes to it.
import { t } from '../i18n/index.js';
import type { KeyRing, OpenedCache } from '../crypto/index.js';
import { type CaseId, type ChannelName, type Logger, NotYet, quietUntil, Undeliverable } from '../shared/index.js';
import { type CaseLog, openReturnAddress } from '../cases/index.js';
import { isClosedStatus, type CaseRecord, type CaseStore, type Redis } from '../store/index.js';
import { flushCase } from './case-flush.js';
import type { ReporterChannel } from './channel.js';

export interface ReporterRelayDeps {
  redis: Redis;
  store: CaseStore;
  caseLog: CaseLog;
  log: Logger;
  keys: KeyRing;
  channels: ReadonlyMap<ChannelName, ReporterChannel>;
  leaseMs: number;
  /** keeps opened return addresses briefly: a conversation delivers several answers */
  opened?: OpenedCache;
  /** A counsellor's answer stored at `storedAt` (ms) reached the reporter (delivery-time metrics). */
  onDelivered?: (channel: ChannelName, storedAt: number) => void;
  /**
   * For a channel that runs in another process (a WhatsApp line held elsewhere): queues
   * the case's delivery there and says true; false if no process runs that channel.
   */
  handOver?: (caseId: CaseId, channel: ChannelName, seq: number) => Promise<boolean>;
  /** TZ: the reporter's quiet hours are its wall-clock hours */
  timeZone: string;
  /** An answer (seq) waits for the reporter's quiet hours to end at `until`: staff are told (once per answer). */
  onHeld?: (caseId: CaseId, seq: number, until: number) => Promise<void>;
}

/** The reporter edge, outbound. */
export interface ReporterRelay {
  /** Catches a case up towards its reporter: every answer not yet delivered, in order (a flush job). */
  readonly flush: (caseId: CaseId, jobId: string) => Promise<void>;
  /** Trustline's own notice to a reporter (an intake reminder): the address is opened only to send. */
  readonly notify: (returnAddress: Buffer, text: string) => Promise<void>;
}

export function createReporterRelay(deps: ReporterRelayDeps): ReporterRelay {
  const { store } = deps;

  async function flush(caseId: CaseId, jobId: string): Promise<void> {
    await flushCase(deps, 'out', caseId, jobId, deliver);
  }

  async function deliver(record: CaseRecord): Promise<void> {
    const caseId = record.id;
    // Quiet hours the reporter asked for (/quiet): whatever is for them waits until they end.
    const until = record.quiet && quietUntil(Date.now(), deps.timeZone, record.quiet);
    if (until) {
      await deps.onHeld?.(caseId, record.count.out, until);
      deps.log.info({ event: 'reporter.quiet-hours', case: record.code, seq: record.count.out }, 'answer held for the reporter’s quiet hours');
      throw new NotYet('the reporter’s quiet hours', until - Date.now() + 1_000);
    }
    const to = openReturnAddress(deps.keys, record.returnAddress, deps.opened);
    const channel = deps.channels.get(to.channel);
    if (!channel) {
      // The lease is let go right after (the flush loop), so the other process can take it.
      if (await deps.handOver?.(caseId, to.channel, record.count.out)) {
        deps.log.info(
          { event: 'reporter.handed-over', case: record.code, seq: record.count.out, channel: to.channel },
          'answer handed to the process running its channel',
        );
        return;
      }
      throw new Undeliverable(`channel ${to.channel} is not running`);
    }
    const key = deps.caseLog.caseKey(record);
    const own = await ownThread(record);
    try {
      for (let seq = record.done.out + 1; seq <= record.count.out; seq++) {
        const message = await deps.caseLog.read(record, key, 'out', seq);
        // An append writes the count and the message together: a gap is a fault, not a race.
        if (!message) throw new Error(`message ${seq} of the case is missing`);
        let sent: string[] | void = undefined;
        if (message.entry.kind === 'text') {
          sent = await channel.deliver(to.address, `${own.says}\n${message.entry.text}${own.note()}`);
        } else if (message.entry.kind === 'correction') {
          sent = await correct(record, channel, to.address, message.entry);
        } else if (message.entry.kind === 'notice') {
          const offer = message.entry.offer === 'report' ? { data: 'to-report:yes', label: t(record.lang, 'opt-to-report-yes') } : undefined;
          sent = await channel.deliver(to.address, message.entry.text, offer);
        } else if (message.entry.kind === 'file') {
          const entry = message.entry;
          const bytes = await deps.caseLog.readFile(record, key, entry);
          if (!bytes) throw new Error(`the file of message ${seq} is gone`);
          if (!channel.deliverFile) throw new Undeliverable(`channel ${to.channel} cannot send files`);
          const caption = [own.says, entry.caption].filter(Boolean).join('\n') + own.note();
          const mime = entry.mime ?? (entry.media === 'photo' ? 'image/jpeg' : 'application/octet-stream');
          sent = await channel.deliverFile(to.address, { bytes, photo: entry.media === 'photo', ext: entry.ext ?? 'bin', mime, caption });
        }
        // Only an answer that went as one message can be edited in place later.
        const editable = channel.edit && message.entry.kind === 'text' && sent?.length === 1 ? sent[0] : undefined;
        await store.markDone(caseId, 'out', seq, editable);
        // Only answers: a notice's time is the duty clock's, which the sandbox moves.
        if (message.entry.kind === 'text' || message.entry.kind === 'file') deps.onDelivered?.(to.channel, message.entry.at);
        deps.log.info({ event: 'reporter.delivered', case: record.code, seq, channel: to.channel }, 'answer delivered');
      }
    } finally {
      key.fill(0);
    }
  }

  /**
   * How an answer is headed: with the case's code when the reporter has more than one
   * open case. Their replies follow the answer: if it is not about the case their
   * messages go to, it becomes that case, and the first answer delivered now says so.
   */
  async function ownThread(record: CaseRecord): Promise<{ says: string; note: () => string }> {
    const plain = { says: t(record.lang, 'counsellor-says'), note: () => '' };
    const rk = record.reporterKey;
    if (!rk || !record.several) return plain;
    const { current, cases } = await store.casesOfReporter(rk);
    const open = cases.filter((r) => !isClosedStatus(r.status));
    if (open.length < 2 || !open.some((r) => r.id === record.id)) return plain;
    const says = t(record.lang, 'counsellor-says-case', { code: record.code });
    if (current === record.id) return { says, note: () => '' };
    await store.makeCurrent(rk, record.id);
    let told = false;
    const note = () => (told ? '' : ((told = true), `\n\n${t(record.lang, 'writing-to', { code: record.code })}`));
    return { says, note };
  }

  /**
   * A counsellor's edited answer: the reporter's copy is edited where the platform lets
   * the bot do that; otherwise (WhatsApp, an answer sent in parts, an edit refused) the
   * new text follows as a "Correction" message.
   */
  async function correct(record: CaseRecord, channel: ReporterChannel, address: string, entry: { of: number; text: string }): Promise<string[] | void> {
    const ref = channel.edit ? await store.deliveredAs(record.id, entry.of) : undefined;
    if (ref && channel.edit) {
      try {
        await channel.edit(address, ref, `${t(record.lang, 'counsellor-says')}\n${entry.text}`);
        deps.log.info({ event: 'reporter.corrected', case: record.code, how: 'edited' }, 'answer corrected in place');
        return;
      } catch (err) {
        deps.log.warn({ err, event: 'reporter.edit-refused', case: record.code }, 'could not edit the answer; sending the correction as a message');
      }
    }
    const sent = await channel.deliver(address, `${t(record.lang, 'counsellor-correction')}\n${entry.text}`);
    deps.log.info({ event: 'reporter.corrected', case: record.code, how: 'message' }, 'answer corrected by a message');
    return sent;
  }

  /** Trustline's own notice to a reporter (an intake reminder): the address is opened only to send. */
  async function notify(returnAddress: Buffer, text: string): Promise<void> {
    const to = openReturnAddress(deps.keys, returnAddress);
    const channel = deps.channels.get(to.channel);
    if (!channel) throw new Undeliverable(`channel ${to.channel} is not running`);
    await channel.deliver(to.address, text);
  }

  return { flush, notify };
}
