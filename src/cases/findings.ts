// What staff established about a case (/record), beside what the reporter chose in the
// intake: the verified category, whether the policy was breached, the measures taken and
// the outcome. Words from fixed catalogs, never free text: the annual report counts them
// (with the same small-cell suppression as the rest), so they are kept plain like the
// intake's category, and outlive the case as statistics.

export const breachValues = ['yes', 'no', 'undetermined'] as const;
export type Breach = (typeof breachValues)[number];

export const measureValues = ['advice', 'counselling', 'commission', 'mediation', 'disciplinary', 'interim-protection', 'none', 'other'] as const;
export type Measure = (typeof measureValues)[number];

export const outcomeValues = ['resolved', 'substantiated', 'not-substantiated', 'referred-elsewhere', 'no-contact', 'other'] as const;
export type FindingOutcome = (typeof outcomeValues)[number];

export interface Findings {
  /** a category id of the intake's catalog ("harassment.sexual"), as staff verified it */
  category?: string;
  breach?: Breach;
  measures?: Measure[];
  outcome?: FindingOutcome;
}

export const findingFields = ['category', 'breach', 'measures', 'outcome'] as const;
export type FindingField = (typeof findingFields)[number];

/** The values a field takes (`categories`: the intake's, see flows/intake-flow.ts reportCategories). */
export function findingOptions(field: FindingField, categories: readonly string[]): readonly string[] {
  switch (field) {
    case 'category':
      return categories;
    case 'breach':
      return breachValues;
    case 'measures':
      return measureValues;
    case 'outcome':
      return outcomeValues;
  }
}

/**
 * The findings with `field` set to `value`: measures toggle (one case can have several;
 * "none" stands alone), the others replace. Undefined when the value is not in the catalog.
 */
export function withFinding(f: Findings, field: FindingField, value: string, categories: readonly string[]): Findings | undefined {
  if (!findingOptions(field, categories).includes(value)) return undefined;
  switch (field) {
    case 'category':
      return { ...f, category: value };
    case 'breach':
      return { ...f, breach: value as Breach };
    case 'outcome':
      return { ...f, outcome: value as FindingOutcome };
    case 'measures': {
      const now = f.measures ?? [];
      const m = value as Measure;
      if (now.includes(m)) return { ...f, measures: now.filter((x) => x !== m) };
      return { ...f, measures: m === 'none' ? ['none'] : [...now.filter((x) => x !== 'none'), m] };
    }
  }
}
