// /record in a case: what staff established (the verified category, whether the policy was
// breached, the measures taken, the outcome), chosen with buttons from fixed catalogs so
// the annual report can count it. `/record breach yes` does the same in words.
import { type FindingField, findingFields, findingOptions, type Findings, withFinding } from '../cases/index.js';
import type { CaseId, Lang } from '../shared/index.js';
import type { CaseRecord, StaffRecord } from '../store/index.js';
import { categoryName } from './case-card.js';
import { underCaseLease, type DutyContext } from './duty-context.js';
import { t } from '../i18n/index.js';
import { joinTexts, reply, staffText, usageOf, type DeskButton, type DeskResult } from './staff-text.js';

/** A value as staff read it, in the staff language. */
export function valueName(lang: Lang, field: FindingField, value: string): string {
  if (field === 'category') return categoryName(lang, value);
  return t(lang, `record-${field}`, { v: value });
}

function shown(lang: Lang, f: Findings, field: FindingField): string {
  const value = field === 'measures' ? f.measures : f[field];
  if (value === undefined || value.length === 0) return t(lang, 'record-not-set');
  return [value]
    .flat()
    .map((v) => valueName(lang, field, v))
    .join(', ');
}

/** The record as it stands, and a button per field to change it. */
function overview(ctx: DutyContext, record: CaseRecord, f: Findings): DeskResult {
  const lang = ctx.staffLang;
  const lines = findingFields.map((field) => staffText(lang, 'record-line', { field, value: shown(lang, f, field) }));
  const buttons: DeskButton[][] = [findingFields.map((field) => ({ text: t(lang, 'record-field', { field }), run: `record ${field}` }))];
  return { ...reply(joinTexts([staffText(lang, 'record-title', { code: record.code }), ...lines])), buttons: { code: record.code, rows: buttons } };
}

/** One field's choices, the chosen ones marked, and the way back. */
function choices(ctx: DutyContext, record: CaseRecord, f: Findings, field: FindingField): DeskResult {
  const lang = ctx.staffLang;
  const chosen = new Set([f[field] ?? []].flat());
  const options = findingOptions(field, ctx.categories).map((value) => ({
    text: `${chosen.has(value) ? '✅ ' : ''}${valueName(lang, field, value)}`,
    run: `record ${field} ${value}`,
  }));
  const rows: DeskButton[][] = [];
  for (let i = 0; i < options.length; i += 2) rows.push(options.slice(i, i + 2));
  rows.push([{ text: t(lang, 'record-back'), run: 'record' }]);
  return {
    ...reply(staffText(lang, 'record-choose', { code: record.code, field, value: shown(lang, f, field), several: field === 'measures' ? 'yes' : 'no' })),
    buttons: { code: record.code, rows },
  };
}

export async function recordFindings(ctx: DutyContext, actor: StaffRecord, caseId: CaseId, words: readonly string[]): Promise<DeskResult> {
  const lang = ctx.staffLang;
  const [fieldWord, value, ...rest] = words.map((w) => w.toLowerCase());
  const field = findingFields.find((x) => x === fieldWord);
  if ((fieldWord !== undefined && !field) || rest.length) return reply(usageOf(lang, 'record'));
  return underCaseLease(ctx, caseId, 'briefly', async () => {
    const record = await ctx.store.get(caseId);
    if (!record) return reply(staffText(lang, 'cmd-case-gone'));
    const now = (record.findings ?? {}) as Findings;
    if (!field) return overview(ctx, record, now);
    if (value === undefined) return choices(ctx, record, now, field);
    const next = withFinding(now, field, value, ctx.categories);
    if (!next) return choices(ctx, record, now, field);
    await ctx.store.setFindings(record.id, next);
    await ctx.audit.record({ at: ctx.clock.now(), actor: actor.id, action: 'case.record', case: record.code, detail: `${field}:${value}` });
    // Several measures can apply: their list stays open; the other fields take one value.
    return field === 'measures' ? choices(ctx, record, next, field) : overview(ctx, record, next);
  });
}
