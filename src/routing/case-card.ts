// Need-to-know mode (STAFF_VISIBILITY=assigned): what the shared staff chat shows of a
// case. One card per case, edited as the case moves: its code, category, language,
// urgency, status, who holds it and its age. Never a word of its content.
import { answerLabel } from '../cases/index.js';
import { formatAge, formatTime, t } from '../i18n/index.js';
import type { DutyContext } from './duty-context.js';
import type { CounsellorId, Lang } from '../shared/index.js';
import type { CaseDuty, CaseRecord } from '../store/index.js';
import { nameOf, staffText, statusName, type StaffText } from './staff-text.js';

/** "Harassment (verbal)" from the case's plain category ("harassment.verbal"), as the intake names it. */
export function categoryName(lang: Lang, category: string | undefined): string {
  if (!category) return t(lang, 'staff-card-category-none');
  const [main, sub] = category.split('.') as [string, string | undefined];
  const name = answerLabel(lang, 'category', main);
  return sub ? `${name} (${answerLabel(lang, main, sub)})` : name;
}

/** When the holder must acknowledge the case by (their SLA), while they have not. */
export function acknowledgeBy(ctx: Pick<DutyContext, 'sla'>, d: CaseDuty): number | undefined {
  const sla = d.urgent ? ctx.sla.urgentAckMs : ctx.sla.ackMs;
  return d.assignee && d.ackAt === undefined && d.assignedAt !== undefined ? d.assignedAt + sla : undefined;
}

/** The card as the case stands now: its holder, and the time they must acknowledge it by. */
export async function currentCard(ctx: DutyContext, record: CaseRecord): Promise<StaffText> {
  const d = await ctx.duty.get(record.id);
  const due = acknowledgeBy(ctx, d);
  return caseCard(record, d.assignee, ctx.staffLang, ctx.clock.now(), due === undefined ? undefined : formatTime(due, ctx.staffLang, ctx.timeZone));
}

export function caseCard(record: CaseRecord, holder: CounsellorId | undefined, lang: Lang, now: number, acknowledgeBy?: string): StaffText {
  return staffText(
    lang,
    'staff-card',
    {
      code: record.code,
      // A consultation has no category until it becomes a report.
      category: record.kind === 'consultation' ? t(lang, 'staff-card-consultation') : categoryName(lang, record.category),
      lang: record.lang,
      urgent: record.urgent ? 'yes' : 'no',
      status: statusName(lang, record.status),
      age: formatAge(now - record.createdAt, lang),
      due: acknowledgeBy ?? '',
      hasDue: acknowledgeBy === undefined ? 'no' : 'yes',
      ...(holder ? {} : { who: t(lang, 'staff-card-nobody') }),
    },
    // A name, not a mention: editing the card must not ping anyone again.
    holder ? { who: nameOf(holder) } : {},
  );
}
