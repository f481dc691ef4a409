// Identifiers for cases. The case code is what people see and may read aloud, so it
// avoids look-alike characters; the case id is internal and simply random.
import { randomBytes } from 'node:crypto';
import type { CaseCode, CaseId } from '../shared/index.js';

/** Crockford-style base32 without 0, 1, I, L, O, U: 30 symbols nobody confuses. */
const CASE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOLS = CASE_CODE_ALPHABET.length;
// Largest multiple of 30 below 256: bytes at or above it are rejected, so every
// symbol is equally likely (no modulo bias).
const ACCEPT_BELOW = 256 - (256 % SYMBOLS);

const canonical = new RegExp(`^[${CASE_CODE_ALPHABET}]{3}-[${CASE_CODE_ALPHABET}]{3}$`);
// Lenient input: any case, surrounding spaces, and a dash, space or nothing between
// the halves (phone keyboards may turn '-' into a typographic dash).
const lenient = new RegExp(`^([${CASE_CODE_ALPHABET}]{3})[\\s\\-\u2010-\u2015]?([${CASE_CODE_ALPHABET}]{3})$`);

/** A random case code such as `K7Q-4FD` (30^6 ≈ 7.3e8 codes: callers must still check for a clash). */
export function newCaseCode(): CaseCode {
  let code = '';
  while (code.length < 6) {
    for (const byte of randomBytes(8)) {
      if (byte >= ACCEPT_BELOW) continue;
      code += CASE_CODE_ALPHABET[byte % SYMBOLS];
      if (code.length === 6) break;
    }
  }
  return `${code.slice(0, 3)}-${code.slice(3)}` as CaseCode;
}

/** True for a code in canonical form (upper case, with the dash). */
export function isCaseCode(s: string): s is CaseCode {
  return canonical.test(s);
}

/** Canonical form of what a person typed (`k7q4fd`, ` K7Q-4FD `), or undefined. */
export function normalizeCaseCode(s: string): CaseCode | undefined {
  const match = lenient.exec(s.trim().toUpperCase());
  if (match === null) return undefined;
  return `${match[1]}-${match[2]}` as CaseCode;
}

/** Internal case id: 128 random bits, base64url (22 characters). */
export function newCaseId(): CaseId {
  return randomBytes(16).toString('base64url') as CaseId;
}
