// A WhatsApp message reduced to what intake understands, like contentOf() for Telegram.
import type { ReporterContent } from '../../flows/index.js';
import type { Lang } from '../../shared/index.js';
import type { EvidenceKind } from '../../store/index.js';
import type { WaMessage, WaMessageType } from './client.js';

/** WhatsApp's own bookkeeping, not something a person wrote: never answered. */
const SYSTEM_TYPES: ReadonlySet<WaMessageType> = new Set<WaMessageType>([
  'revoked',
  'ciphertext',
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'broadcast_notification',
  'call_log',
  'protocol',
  'reaction',
  'debug',
]);

/** WhatsApp media types named as Telegram's (the catalogs' `unsupported` kinds). */
const MEDIA_KINDS: Partial<Record<WaMessageType, string>> = {
  image: 'photo',
  album: 'photo',
  video: 'video',
  ptt: 'voice',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
};

/** Media that intake takes as evidence, as the evidence kinds Telegram's files map to. */
const EVIDENCE_KINDS: Partial<Record<WaMessageType, EvidenceKind>> = {
  image: 'photo',
  video: 'video',
  ptt: 'voice',
  audio: 'audio',
  document: 'document',
};

/** `undefined` for system messages that need no answer. */
export function contentOf(message: Pick<WaMessage, 'type' | 'body' | 'hasMedia' | 'downloadMedia'>): ReporterContent | undefined {
  if (SYSTEM_TYPES.has(message.type)) return undefined;
  if (message.type === 'chat') return { kind: 'text', text: message.body };
  // For media whatsapp-web.js puts the caption (or '') in body.
  const caption = message.body.trim() ? { caption: message.body } : {};
  const evidence = EVIDENCE_KINDS[message.type];
  if (evidence && message.hasMedia) {
    return {
      kind: 'file',
      media: evidence,
      ...caption,
      // whatsapp-web.js declares no size before download and hands the file over whole
      // (base64): intake's limit is checked on the bytes, right after.
      download: async () => {
        const media = await message.downloadMedia();
        if (!media) throw new Error('the media is no longer on WhatsApp');
        // Its type decides how it is cleaned; its name only lends an extension (see src/evidence).
        return {
          bytes: Buffer.from(media.data, 'base64'),
          ...(media.mimetype ? { mime: media.mimetype } : {}),
          ...(media.filename ? { name: media.filename } : {}),
        };
      },
    };
  }
  return { kind: 'unsupported', media: MEDIA_KINDS[message.type] ?? 'other', ...caption };
}

const KAZAKH_LETTERS = /[әғқңөұүһі]/i;
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/i;

/**
 * WhatsApp tells nothing about the reporter's language (Telegram sends language_code),
 * so a new case takes it from the first text: Kazakh letters mean Kazakh, Latin
 * without Cyrillic means English, anything else the hotline's default, Russian.
 */
export function guessLang(text: string | undefined, fallback: Lang = 'ru'): Lang {
  if (!text) return fallback;
  if (KAZAKH_LETTERS.test(text)) return 'kk';
  if (LATIN.test(text) && !CYRILLIC.test(text)) return 'en';
  return fallback;
}
