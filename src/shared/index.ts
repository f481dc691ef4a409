// The surface of src/shared: what other folders may import. Everything else here is internal.
export { formatTimeLimit, parseTimeLimit, type QuietHours, quietUntil, type TimeLimit, WorkingCalendar } from './calendar.js';
export { type Clock, systemClock } from './clock.js';
export { parseDate, parseDays, parseDuration, parseLangs, parseTimeRange } from './command-args.js';
export { NotYet, RateLimited, retryAfterMs, StorageUnavailable, Undeliverable } from './failures.js';
export { heldRetryMs, StorageOutage } from './outage.js';
export {
  type CaseCode,
  type CaseId,
  type ChannelName,
  type CounsellorId,
  type DeskName,
  isLang,
  type Lang,
  langOf,
  languages,
  MAIN_DESK,
  OVERSIGHT_DESK,
  type ReporterKey,
} from './ids.js';
export { createLogger, type Logger } from './log.js';
export { defaultEmergencyNumbers, type EmergencyNumbers } from './urgent-help.js';
export { addDays, DAY, hhmm, instantOf, isoDate, type LocalDate, localTimeOf, MINUTE, startOfWeek, type Weekday, weekdayOf } from './zoned-time.js';
