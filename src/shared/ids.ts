// Branded identifiers: a raw chat id or phone number cannot be passed where a
// pseudonym belongs without an explicit (and greppable) cast.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Keyed BLAKE2b of channel + platform address; the only reporter handle Redis sees. */
export type ReporterKey = Brand<string, 'ReporterKey'>;
/** Internal random case id (never shown to people). */
export type CaseId = Brand<string, 'CaseId'>;
/** Human-friendly pseudonym shown to staff and reporter, e.g. K7Q-4FD. */
export type CaseCode = Brand<string, 'CaseCode'>;
/** Channel a reporter wrote through. */
export type ChannelName = 'telegram' | 'whatsapp';

/** Languages the hotline speaks. */
export const languages = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof languages)[number];

export const isLang = (s: unknown): s is Lang => typeof s === 'string' && (languages as readonly string[]).includes(s);

export function langOf(code: string | undefined, fallback: Lang = 'ru'): Lang {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : fallback;
}

/**
 * A staff member's pseudonymous handle: keyed BLAKE2b of their platform id. Redis,
 * queues and the audit log name staff only by this; names and ids stay encrypted.
 */
export type CounsellorId = Brand<string, 'CounsellorId'>;

/**
 * Which staff chat a case lives in. `main` is STAFF_CHAT_ID; `oversight` is the chat of
 * the people who read reports about the hotline's own staff (OVERSIGHT_CHAT_ID); other
 * names are the chats of STAFF_CHATS (a team for one category or language).
 */
export type DeskName = string;
export const MAIN_DESK: DeskName = 'main';
export const OVERSIGHT_DESK: DeskName = 'oversight';
