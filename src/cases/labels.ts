// Staff's labels on a case ("referred", "needs-follow-up"): a few words to sort the queue
// by. A label can say a lot about a case ("sexual-harassment", a faculty's name), so the
// list is sealed under the case key like the conversation, and dies with it.
import { decryptText, encrypt } from '../crypto/index.js';
import type { CaseId } from '../shared/index.js';
import type { CaseRecord, CaseStore } from '../store/index.js';
import type { CaseLog } from './case-log.js';

/** Longer than any word of the vocabulary, short enough for a /cases line and a button. */
export const LABEL_MAX_LENGTH = 32;
/** A case with more labels than this is labelled to no purpose. */
export const MAX_LABELS = 10;

const labelsAd = (id: CaseId) => `trustline/v1/${id}/labels`;

/** "#Referred" -> "referred"; undefined when it is not one word of letters, digits, - and _. */
export function parseLabel(word: string | undefined): string | undefined {
  const label = word?.trim().replace(/^#/, '').toLowerCase();
  if (!label || label.length > LABEL_MAX_LENGTH) return undefined;
  return /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u.test(label) ? label : undefined;
}

export type LabelChange = { ok: true; labels: string[]; changed: boolean } | { ok: false; reason: 'too-many' };

export class CaseLabels {
  constructor(
    private readonly store: CaseStore,
    private readonly caseLog: CaseLog,
  ) {}

  /** The case's labels, in the order they were added; none once it is erased. */
  of(record: Pick<CaseRecord, 'id' | 'sealedKey' | 'labels'>): string[] {
    if (!record.labels) return [];
    const key = this.caseLog.caseKey(record);
    try {
      return JSON.parse(decryptText(key, record.labels, labelsAd(record.id))) as string[];
    } finally {
      key.fill(0);
    }
  }

  /** Adds or removes one label (already parsed). The caller holds the case's lease. */
  async change(record: Pick<CaseRecord, 'id' | 'sealedKey' | 'labels'>, label: string, add: boolean): Promise<LabelChange> {
    const now = this.of(record);
    const has = now.includes(label);
    if (add === has) return { ok: true, labels: now, changed: false };
    if (add && now.length >= MAX_LABELS) return { ok: false, reason: 'too-many' };
    const labels = add ? [...now, label] : now.filter((l) => l !== label);
    await this.store.setLabels(record.id, labels.length ? this.seal(record, labels) : undefined);
    return { ok: true, labels, changed: true };
  }

  private seal(record: Pick<CaseRecord, 'id' | 'sealedKey'>, labels: string[]): Buffer {
    const key = this.caseLog.caseKey(record);
    try {
      return encrypt(key, JSON.stringify(labels), labelsAd(record.id));
    } finally {
      key.fill(0);
    }
  }
}
