// Channel-agnostic intake: an adapter hands in what a reporter sent (already reduced
// to a reporter key and a sealed return address), intake stores it encrypted and
// queues it. For now the first message is the report; the questionnaire comes later.
import { newCaseCode, newCaseId, newCaseKey, seal, type KeyRing } from '../crypto/index.js';
import type { CaseCode, ChannelName, Lang, ReporterKey } from '../ids.js';
import type { Pipeline } from '../queue/pipeline.js';
import type { Logger } from '../log.js';
import type { CaseLog, Entry } from '../routing/case-log.js';
import type { CaseRecord, CaseStore } from '../store/cases.js';

export type ReporterContent =
  | { kind: 'text'; text: string }
  | { kind: 'edit'; text: string }
  /** photos, stickers, voice...: not passed on yet; the caption, if any, is. */
  | { kind: 'unsupported'; media: string; caption?: string };

export interface Inbound {
  channel: ChannelName;
  reporterKey: ReporterKey;
  /** Called only when a case is opened, so the address is sealed once per case. */
  returnAddress: () => Buffer;
  /** The platform's idea of the reporter's language, used for a new case. */
  lang: Lang;
  /** Platform delivery id (e.g. `tg:<update_id>`) so a redelivery is not relayed twice. */
  deliveryId?: string;
  content: ReporterContent;
}

export type IntakeOutcome =
  | { type: 'duplicate' }
  | { type: 'empty'; lang: Lang }
  | {
      type: 'queued';
      code: CaseCode;
      lang: Lang;
      opened: boolean;
      content: ReporterContent['kind'];
      /** for unsupported content: which kind, so the reporter is told precisely */
      media?: string;
      captionForwarded: boolean;
    };

export interface IntakeDeps {
  store: CaseStore;
  caseLog: CaseLog;
  log: Logger;
  pipeline: Pipeline;
  keys: KeyRing;
  now?: () => number;
}

export function createIntake({ store, caseLog, log, pipeline, keys, now = Date.now }: IntakeDeps) {
  async function openCase(inbound: Inbound): Promise<{ record: CaseRecord; opened: boolean }> {
    const existing = await store.caseOfReporter(inbound.reporterKey);
    if (existing) {
      const record = await store.get(existing);
      if (record) return { record, opened: false };
    }
    const id = newCaseId();
    let code = newCaseCode();
    while (!(await store.reserveCode(code, id))) code = newCaseCode();
    const caseKey = newCaseKey();
    const sealedKey = seal(keys.staff.publicKey, caseKey);
    caseKey.fill(0);
    const winner = await store.create({
      id,
      code,
      reporterKey: inbound.reporterKey,
      channel: inbound.channel,
      lang: inbound.lang,
      sealedKey,
      returnAddress: inbound.returnAddress(),
      createdAt: now(),
    });
    const record = await store.get(winner);
    if (!record) throw new Error('case vanished right after it was created');
    return { record, opened: winner === id };
  }

  async function receive(inbound: Inbound): Promise<IntakeOutcome> {
    const { content } = inbound;
    if (inbound.deliveryId && (await store.seenUpdate(inbound.deliveryId))) return { type: 'duplicate' };
    if ((content.kind === 'text' || content.kind === 'edit') && content.text.trim() === '') {
      return { type: 'empty', lang: inbound.lang };
    }

    const { record, opened } = await openCase(inbound);
    const at = now();
    const entries: Entry[] = [];
    if (content.kind === 'unsupported') {
      entries.push({ kind: 'note', note: 'unsupported-media', media: content.media, at });
      if (content.caption?.trim()) entries.push({ kind: 'text', text: content.caption, at });
    } else {
      entries.push({ kind: content.kind, text: content.text, at });
    }

    let seq = 0;
    for (const [i, entry] of entries.entries()) {
      const last = i === entries.length - 1;
      seq = await caseLog.append(record, 'in', entry, last && inbound.deliveryId ? { updateId: inbound.deliveryId } : {});
    }
    if (opened) {
      log.info({ event: 'case.opened', case: record.code, channel: record.channel, lang: record.lang }, 'case opened');
      await pipeline.routeCase(record.id);
    }
    else await pipeline.postToStaff(record.id, seq);
    log.info({ event: 'reporter.message', case: record.code, seq, kind: content.kind }, 'reporter message queued');

    return {
      type: 'queued',
      code: record.code,
      lang: record.lang,
      opened,
      content: content.kind,
      ...(content.kind === 'unsupported' ? { media: content.media } : {}),
      captionForwarded: entries.length > 1,
    };
  }

  return { receive };
}

export type Intake = ReturnType<typeof createIntake>;
