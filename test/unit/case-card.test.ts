// The card of a case in the shared chat (need-to-know mode): a consultation says so where
// a report shows its category.
import { describe, expect, it } from 'vitest';
import { caseCard } from '../../src/routing/case-card.js';
import { skeleton } from '../../src/routing/staff-text.js';
import { t } from '../../src/i18n/i18n.js';
import type { CaseRecord } from '../../src/store/cases.js';

const record = (over: Partial<CaseRecord>): CaseRecord =>
  ({ code: 'K7Q-4FD', lang: 'kk', urgent: false, status: 'new', createdAt: 0, kind: 'report', ...over }) as CaseRecord;

describe('the case card', () => {
  it('names a consultation as one, and a report by its category', () => {
    expect(skeleton(caseCard(record({ kind: 'consultation' }), undefined, 'ru', 60_000))).toContain(t('ru', 'staff-card-consultation'));
    const report = skeleton(caseCard(record({ category: 'bullying' }), undefined, 'ru', 60_000));
    expect(report).not.toContain(t('ru', 'staff-card-consultation'));
    expect(report).not.toContain(t('ru', 'staff-card-category-none'));
  });
});
