// The audit log: who changed the roster or a case's handling, what, and when. A Redis
// stream, append-only, trimmed by age (the retention job). Actors and targets are staff
// handles. A reason given about a case (a recusal's "I know the person involved") is
// sealed under that case's key by the caller, so shredding the case makes it unreadable
// while the entry itself (action, time, pseudonymous actor) stays; other free text is
// encrypted under the roster key.
import type { Redis } from 'ioredis';
import { CryptoError, openRosterSecret, sealRosterSecret } from '../crypto/index.js';
import type { CaseCode, CaseId, CounsellorId } from '../shared/index.js';
import { rosterKeys } from './redis-keys.js';

export const auditActions = [
  'staff.add',
  'staff.update',
  'staff.remove',
  'staff.seed',
  'shift.add',
  'shift.remove',
  'away',
  'away.cancel',
  'swap',
  'roster.import',
  'case.assign',
  'case.escalate',
  'case.take',
  'case.transfer',
  'case.recuse',
  'case.status',
  'case.followup',
  /** a supervisor opened a case they do not hold, to read it (need-to-know mode); target: its holder */
  'case.open',
  /** an erased or shredded case's copy removed from the staff chat (detail: how much was left) */
  'case.erase',
  /** an admin kept a case past its retention period (reason sealed under the case key), or lifted that */
  'case.hold',
  'case.hold-off',
  /** a case about the hotline's own staff moved to the oversight chat (detail: the desk; reason sealed) */
  'case.move',
  /** a case entered a stage with a time limit (detail: the stage and when its next step is due, see routing/deadlines.ts) */
  'case.deadline',
  /** an admin blocked the case's reporter (reason sealed under the case key), or lifted it */
  'case.block',
  'case.unblock',
  /** a counsellor suggested to a consultation's reporter that they file a report (/offer) */
  'case.offer-report',
  /** a counsellor sent the reporter the help contacts (/contacts) */
  'case.contacts',
  /** staff recorded a finding (detail: field:value, catalog words, see cases/findings.ts) */
  'case.record',
  /** a label added to a case or removed (detail: add or remove; the label sealed under the case key) */
  'case.label',
  'template.set',
  'template.remove',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Who did it: a staff handle, Trustline itself (routing, SLA), or the `trustline` CLI. */
export type AuditActor = CounsellorId | 'system' | 'cli';

export interface AuditEntry {
  at: number;
  actor: AuditActor;
  action: AuditAction;
  target?: CounsellorId;
  /** a second person (a swap: who covers for the target) */
  with?: CounsellorId;
  case?: CaseCode;
  /** structured facts only (a shift, a status, languages): never free text */
  detail?: string;
  /** free text, stored encrypted */
  note?: string;
  /** free text about a case, already sealed under the case's key (see CaseLog.sealNote) */
  caseNote?: { caseId: CaseId; sealed: string };
}

export class AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly rosterKey: Uint8Array,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const fields: string[] = ['at', String(entry.at), 'actor', entry.actor, 'action', entry.action];
    if (entry.target) fields.push('target', entry.target);
    if (entry.with) fields.push('with', entry.with);
    if (entry.case) fields.push('case', entry.case);
    if (entry.detail) fields.push('detail', entry.detail);
    if (entry.note) fields.push('note', sealRosterSecret(this.rosterKey, 'audit-note', entry.note));
    if (entry.caseNote) fields.push('cid', entry.caseNote.caseId, 'cnote', entry.caseNote.sealed);
    await this.redis.xadd(rosterKeys.audit, '*', ...fields);
  }

  /** The most recent entries, newest first. */
  async recent(count: number): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(rosterKeys.audit, '+', '-', 'COUNT', count);
    return rows.map(([, flat]) => this.parse(flat));
  }

  /**
   * One case's entries, oldest first (/history). The log is read newest first in pages,
   * at most `scan` entries back: a year of a busy hotline's log is a few thousand.
   */
  async ofCase(code: CaseCode, scan = 20_000): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    let end = '+';
    for (let read = 0; read < scan;) {
      const rows = await this.redis.xrevrange(rosterKeys.audit, end, '-', 'COUNT', 500);
      for (const [, flat] of rows) {
        read++;
        if (flat.some((v, i) => i % 2 === 1 && flat[i - 1] === 'case' && v === code)) found.push(this.parse(flat));
      }
      if (rows.length < 500) break;
      end = `(${rows[rows.length - 1]![0]}`; // exclusive: the next page starts below it
    }
    return found.reverse();
  }

  private parse(flat: string[]): AuditEntry {
    const f = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) f.set(flat[i]!, flat[i + 1]!);
    const note = f.get('note');
    return {
      at: Number(f.get('at')),
      actor: f.get('actor') as AuditActor,
      action: f.get('action') as AuditAction,
      ...(f.get('target') ? { target: f.get('target') as CounsellorId } : {}),
      ...(f.get('with') ? { with: f.get('with') as CounsellorId } : {}),
      ...(f.get('case') ? { case: f.get('case') as CaseCode } : {}),
      ...(f.get('detail') ? { detail: f.get('detail')! } : {}),
      ...(note ? { note: this.openNote(note) } : {}),
      ...(f.get('cid') && f.get('cnote') ? { caseNote: { caseId: f.get('cid') as CaseId, sealed: f.get('cnote')! } } : {}),
    };
  }

  private openNote(sealed: string): string {
    try {
      return openRosterSecret(this.rosterKey, 'audit-note', sealed);
    } catch (err) {
      if (err instanceof CryptoError) return '(unreadable)';
      throw err;
    }
  }
}
