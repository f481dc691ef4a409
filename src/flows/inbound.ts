// What a channel adapter hands to intake, and what intake hands back. By the time an
// Inbound exists the platform address is already a reporter key and a sealed return
// address; no platform type crosses this line.
import type { ChannelName, Lang, ReporterKey } from '../shared/index.js';
import type { EvidenceKind } from '../store/index.js';
import type { Reply } from './reply.js';

export type ReporterContent =
  | { kind: 'text'; text: string }
  | { kind: 'edit'; text: string }
  /** a tapped option (a Telegram button); text channels send the number as text instead */
  | { kind: 'choice'; step: string; value: string }
  /** evidence; fetched only once intake has checked the declared size */
  | {
      kind: 'file';
      media: EvidenceKind;
      /** as the platform declares it, when it does */
      size?: number;
      mime?: string;
      name?: string;
      caption?: string;
      /** the bytes; a platform that only learns the type and name with them (WhatsApp) says so here */
      download: () => Promise<Uint8Array | { bytes: Uint8Array; mime?: string; name?: string }>;
    }
  /** stickers, locations, contacts...: not passed on; the caption, if any, is. */
  | { kind: 'unsupported'; media: string; caption?: string };

export interface Inbound {
  channel: ChannelName;
  reporterKey: ReporterKey;
  /** Called only when it must be stored, so the address is sealed as rarely as possible. */
  returnAddress: () => Buffer;
  /** The platform's idea of the reporter's language, used until they choose. */
  lang: Lang;
  /** Platform delivery id (e.g. `tg:<update_id>`) so a redelivery is not handled twice. */
  deliveryId?: string;
  /** When the platform handed it over, in the platform's order (ms): a case it opens is posted to staff in this order. */
  receivedAt?: number;
  content: ReporterContent;
}

export type IntakeOutcome =
  | { type: 'duplicate' }
  /**
   * Over the reporter's message limit: nothing was stored or passed on. `replies` tells
   * them so once per window and is empty otherwise (no reaction, no answer).
   */
  | { type: 'limited'; lang: Lang; replies: Reply[] }
  /** Taken in: stored, queued or answered. (Named as in the relay, so adapters written for it still work.) */
  | {
      type: 'queued';
      lang: Lang;
      replies: Reply[];
      /** a relayed message: acknowledge quietly (a reaction) rather than with text */
      ack: boolean;
      /** a tapped option was taken as the answer (the adapter may mark it chosen) */
      answered: boolean;
      /**
       * The reporter asked for this chat to be cleared (/wipe, /forget): the adapter
       * deletes what the platform lets it delete, then sends the replies.
       */
      wipe?: boolean;
    };
