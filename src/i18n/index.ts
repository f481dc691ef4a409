// The surface of src/i18n: what other folders may import. Everything else here is internal.
export { formatAge, formatDay, formatDays, formatDayTime, formatDue, formatTime, formatWhen } from './format.js';
export { attribute, type CatalogId, emergencyList, hasMessage, inEveryLanguage, type MessageId, t } from './i18n.js';
export type { ReportMessageId } from './report-ids.js';
