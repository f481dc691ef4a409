// Staff are people too: Redis holds no counsellor's Telegram id, name or username in
// clear. Each staff member is known by a keyed hash of their platform id (the handle);
// what Trustline must be able to show (a name in /roster, a mention in a case topic)
// is encrypted under a roster key derived from the pepper.
import type { ChannelName, CounsellorId } from '../shared/index.js';
import { decryptText, encrypt } from './envelope.js';
import { sodium } from './sodium.js';

const PEPPER_BYTES = 32;

function keyed(pepper: Uint8Array, bytes: number, input: string): Uint8Array {
  if (pepper.length !== PEPPER_BYTES) throw new RangeError(`pepper must be ${PEPPER_BYTES} bytes`);
  return sodium().crypto_generichash(bytes, Buffer.from(input, 'utf8'), pepper);
}

/**
 * The handle of a staff member. The "staff/" prefix keeps it apart from reporter keys
 * ("telegram:<id>"), so a counsellor who also reports gets unrelated handles.
 */
export function staffHandleOf(pepper: Uint8Array, channel: ChannelName, address: string): CounsellorId {
  return Buffer.from(keyed(pepper, 16, `staff/${channel}:${address}`)).toString('base64url') as CounsellorId;
}

/** Keyed hash of a username, so `@name` can be looked up without storing the name. */
export function usernameHashOf(pepper: Uint8Array, channel: ChannelName, username: string): string {
  return Buffer.from(keyed(pepper, 16, `staff-username/${channel}:${username.replace(/^@/, '').toLowerCase()}`)).toString('base64url');
}

/** The symmetric key for staff identities, templates and audit notes (derived, never stored). */
export function rosterKeyOf(pepper: Uint8Array): Uint8Array {
  return keyed(pepper, 32, 'trustline/v1/roster-key');
}

/** Encrypts a small roster secret; `label` (e.g. the handle) binds it to its place. */
export function sealRosterSecret(rosterKey: Uint8Array, label: string, plaintext: string): string {
  return encrypt(rosterKey, plaintext, `trustline/v1/roster/${label}`).toString('base64');
}

export function openRosterSecret(rosterKey: Uint8Array, label: string, sealed: string): string {
  return decryptText(rosterKey, Buffer.from(sealed, 'base64'), `trustline/v1/roster/${label}`);
}
