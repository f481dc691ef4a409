// WhatsApp chat ids (JIDs) and the return address of a WhatsApp case. A JID holds the
// phone number (`77011234567@c.us`) or a privacy id (`…@lid`): it is an identity and
// must not leave src/bot/ except sealed.

export type ChatKind = 'private' | 'group' | 'status' | 'newsletter' | 'broadcast' | 'other';

/** What kind of chat a JID names; only 'private' chats are a person writing to the line. */
export function chatKindOf(jid: string | undefined): ChatKind {
  if (!jid) return 'other';
  if (jid === 'status@broadcast') return 'status';
  if (jid.endsWith('@g.us')) return 'group';
  if (jid.endsWith('@newsletter')) return 'newsletter';
  if (jid.endsWith('@broadcast')) return 'broadcast';
  // @c.us: a phone number; @lid: WhatsApp's "linked id" for people whose number it hides.
  if (jid.endsWith('@c.us') || jid.endsWith('@lid')) return 'private';
  return 'other';
}

/**
 * The platform address sealed into a case: the line it came through and the chat,
 * so answers go out from the same number. Line names contain no ':'.
 */
export function lineAddress(line: string, jid: string): string {
  return `${line}:${jid}`;
}

export function parseLineAddress(address: string): { line: string; jid: string } | undefined {
  const at = address.indexOf(':');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { line: address.slice(0, at), jid: address.slice(at + 1) };
}
