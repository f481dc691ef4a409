// The reporter side of one WhatsApp line: private chats only. The JID is turned into a
// reporter key, a sealed return address and a keyed delivery id right here and goes no
// further: logs name the line and the case code, never the chat.
import { reporterKeyOf, sodium, type KeyRing } from '../../crypto/index.js';
import { renderAsText, type Intake, type IntakeOutcome, type Reader, type ReporterContent } from '../../flows/index.js';
import { inEveryLanguage, t } from '../../i18n/index.js';
import { heldRetryMs, type Lang, type Logger, type ReporterKey, StorageUnavailable, type StorageOutage } from '../../shared/index.js';
import { type CaseStore, isRedisUnreachable } from '../../store/index.js';
import { sealReturnAddress } from '../../cases/index.js';
import { reporterReplies } from '../telegram/index.js';
import type { WaCall, WaMessage, WhatsAppClient } from './client.js';
import { contentOf, guessLang } from './content.js';
import { chatKindOf, lineAddress } from './jid.js';

/** A caller hears the "please write" text at most this often. */
const CALL_REPLY_EVERY_MS = 10 * 60_000;
/** A page's numbered menu answers the reporter's next number for this long. */
const PAGE_MENU_MS = 15 * 60_000;
/** Messages held per line while storage is unreachable; beyond this their senders are told at once. */
const HELD_MAX = 1_000;

export interface WhatsAppReporterDeps {
  line: string;
  intake: Intake;
  /** a message that cannot be stored is held in memory and retried until this gives up */
  outage: StorageOutage;
  /** /rights: pages shown without touching the reporter's conversation or case */
  reader: Reader;
  keys: KeyRing;
  store: CaseStore;
  log: Logger;
  now?: () => number;
}

export interface LineInbox {
  /** A new message (live or read back after downtime). */
  message(client: WhatsAppClient, message: WaMessage): Promise<void>;
  /** The reporter edited a sent text. */
  edit(client: WhatsAppClient, message: WaMessage, newBody: string): Promise<void>;
  call(client: WhatsAppClient, call: WaCall): Promise<void>;
}

/** Why a message is not a person writing to the line, or undefined when it is. */
export function ignoredBecause(message: Pick<WaMessage, 'from' | 'fromMe' | 'isStatus' | 'id'>): string | undefined {
  if (message.fromMe || message.id.fromMe) return 'own';
  if (message.isStatus) return 'status';
  const kind = chatKindOf(message.from);
  return kind === 'private' ? undefined : kind;
}

export function whatsappReporter(deps: WhatsAppReporterDeps): LineInbox {
  const { line, keys, log } = deps;
  const now = deps.now ?? Date.now;
  const lastCallReply = new Map<string, number>();
  /**
   * The numbered menu of the page each reporter last read, so that "2" opens its second
   * link. Process memory only, never Redis: reading leaves no trace (see flows/rights.ts).
   */
  const reading = new Map<string, { step: string; values: string[]; at: number }>();

  /**
   * /rights, or a number under the page just read: the page is sent and nothing else
   * happens. "Back to the report" hands over to the intake as /start does.
   */
  async function read(
    client: WhatsAppClient,
    message: WaMessage,
    content: ReporterContent,
    rk: ReporterKey,
  ): Promise<{ content: ReporterContent; lang?: Lang } | undefined> {
    const menu = reading.get(rk);
    reading.delete(rk);
    if (content.kind !== 'text') return { content };
    const n = /^\s*(\d+)\s*$/.exec(content.text);
    const value = menu && now() - menu.at < PAGE_MENU_MS && n ? menu.values[Number(n[1]) - 1] : undefined;
    // The reporter's language is looked up only for /rights, never for an ordinary message.
    const asked =
      value !== undefined
        ? deps.reader.tapped(menu!.step, value)
        : deps.reader.asks(content.text)
          ? deps.reader.first((await deps.intake.languageOf(rk).catch(() => undefined)) ?? guessLang(content.text))
          : undefined;
    if (!asked) return { content };
    if ('continue' in asked) return { content: { kind: 'text', text: '/start' }, lang: asked.continue };
    if (reading.size > 10_000) for (const [k, m] of reading) if (now() - m.at >= PAGE_MENU_MS) reading.delete(k);
    if (asked.page.menu) reading.set(rk, { step: asked.page.menu.step, values: asked.page.menu.options.map((o) => o.value), at: now() });
    await client.sendMessage(message.from, renderAsText(asked.page, asked.lang));
    await client.sendSeen(message.from).catch(() => undefined);
    return undefined;
  }

  /**
   * The dedupe id rests in Redis; whatsapp-web.js's message id embeds the sender's JID
   * (`false_77011234567@c.us_3EB0…`), so it is stored only as a keyed hash.
   */
  function deliveryId(serialized: string, variant = ''): string {
    const digest = sodium().crypto_generichash(16, Buffer.from(`${serialized}\u0000${variant}`, 'utf8'), keys.pepper);
    return `wa:${line}:${Buffer.from(digest).toString('base64url')}`;
  }

  /** `chosen`: the language the reporter was reading in (the pages' "Back to the report"). */
  async function receive(client: WhatsAppClient, message: WaMessage, content: ReporterContent, id: string, chosen?: Lang): Promise<void> {
    const jid = message.from;
    const address = lineAddress(line, jid);
    const text = content.kind === 'text' || content.kind === 'edit' ? content.text : 'caption' in content ? content.caption : undefined;
    const lang = chosen ?? guessLang(text);
    let outcome: IntakeOutcome;
    try {
      outcome = await deps.intake.receive({
        channel: 'whatsapp',
        reporterKey: reporterKeyOf(keys.pepper, 'whatsapp', address),
        returnAddress: () => sealReturnAddress(keys, { channel: 'whatsapp', address }),
        lang,
        deliveryId: id,
        content,
      });
    } catch (err) {
      // Storage unreachable: held and tried again (see hold below); the reporter hears nothing unless it lasts too long.
      const unreachable = isRedisUnreachable(err);
      if (unreachable && deps.outage.hold()) throw new StorageUnavailable('storage unreachable');
      // Nothing was queued: say so honestly rather than pretend it was received. With
      // storage down their language cannot be read: all three.
      log.error({ err, line }, 'intake failed; reporter asked to try again');
      await client.sendMessage(jid, unreachable ? inEveryLanguage(lang, 'try-again') : t(lang, 'try-again'));
      return;
    }
    deps.outage.over();
    const replies = reporterReplies(outcome);
    if (outcome.type === 'queued' && (outcome.ack || replies.length === 0)) {
      // A message passed on or kept: a quiet "received" that does not flood the chat.
      await message.react('👌').catch(() => client.sendMessage(jid, t(outcome.lang, 'received')));
    }
    for (const reply of replies) await client.sendMessage(jid, reply);
    // Read receipts also keep a handled message out of the next unread reconcile.
    await client.sendSeen(jid).catch((err: unknown) => log.warn({ err, line }, 'could not mark a chat as read'));
  }

  /**
   * Messages that could not be stored, oldest first, tried again in order until storage
   * is back (or the outage outlasts REDIS_OUTAGE_HOLD and their senders are told). They
   * are not marked read meanwhile, so a restart reads them back from WhatsApp instead.
   */
  const held: { attempt: () => Promise<void> }[] = [];
  let draining = false;

  async function hold(attempt: () => Promise<void>): Promise<void> {
    if (held.length === 0) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof StorageUnavailable)) throw err;
      }
    }
    if (held.length >= HELD_MAX) {
      log.warn({ event: 'whatsapp.held-full', line }, 'too many messages held while storage is unreachable; not holding more');
      return;
    }
    held.push({ attempt });
    if (held.length === 1) log.warn({ event: 'update.held', line }, 'storage unreachable: messages are held and tried again');
    if (!draining) void drain();
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      for (let tries = 0; held.length > 0;) {
        await new Promise((r) => setTimeout(r, heldRetryMs(tries)));
        try {
          await held[0]!.attempt();
          held.shift();
          tries = 0;
        } catch (err) {
          if (err instanceof StorageUnavailable) tries++;
          else {
            held.shift();
            log.error({ err, line }, 'a held message could not be handled');
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    async message(client, message) {
      const ignored = ignoredBecause(message);
      if (ignored) {
        log.debug({ event: 'whatsapp.ignored', line, why: ignored }, 'not a private message from a person');
        return;
      }
      const written = contentOf(message);
      if (!written) return;
      const taken = await read(client, message, written, reporterKeyOf(keys.pepper, 'whatsapp', lineAddress(line, message.from)));
      if (!taken) return;
      await hold(() => receive(client, message, taken.content, deliveryId(message.id._serialized), taken.lang));
    },

    async edit(client, message, newBody) {
      if (ignoredBecause(message) || message.type !== 'chat') return;
      await hold(() => receive(client, message, { kind: 'edit', text: newBody }, deliveryId(message.id._serialized, `edit:${newBody}`)));
    },

    async call(client, call) {
      if (call.fromMe) return;
      await call.reject().catch((err: unknown) => log.warn({ err, line }, 'could not decline a call'));
      log.info({ event: 'whatsapp.call.declined', line, video: call.isVideo, group: call.isGroup }, 'call declined');
      const jid = call.from;
      if (call.isGroup || chatKindOf(jid) !== 'private' || !jid) return;
      const reporterKey = reporterKeyOf(keys.pepper, 'whatsapp', lineAddress(line, jid));
      const last = lastCallReply.get(reporterKey) ?? 0;
      if (now() - last < CALL_REPLY_EVERY_MS) return; // a caller who keeps ringing hears it once
      lastCallReply.set(reporterKey, now());
      if (lastCallReply.size > 1_000) {
        for (const [k, at] of lastCallReply) if (now() - at >= CALL_REPLY_EVERY_MS) lastCallReply.delete(k);
      }
      await client.sendMessage(jid, t(await langOfReporter(reporterKey), 'whatsapp-call-declined'));
    },
  };

  /** The language of the caller's case if they wrote before, else the hotline's default. */
  async function langOfReporter(reporterKey: ReturnType<typeof reporterKeyOf>): Promise<Lang> {
    const caseId = await deps.store.caseOfReporter(reporterKey).catch(() => undefined);
    const record = caseId ? await deps.store.get(caseId).catch(() => undefined) : undefined;
    return record?.lang ?? 'ru';
  }
}
