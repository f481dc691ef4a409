// The surface of src/cases: what other folders may import. Everything else here is internal.
export { blockedNotice, type ElsewhereHelp } from './blocked.js';
export { CaseLog, type Entry, type FileEntry } from './case-log.js';
export { deskFor, type DeskRoute } from './desk.js';
export { eraseCase } from './erasure.js';
export {
  type Breach,
  breachValues,
  type FindingField,
  findingFields,
  findingOptions,
  type FindingOutcome,
  type Findings,
  type Measure,
  measureValues,
  outcomeValues,
  withFinding,
} from './findings.js';
export { CaseLabels, LABEL_MAX_LENGTH, MAX_LABELS, parseLabel } from './labels.js';
export { type CaseMoveDeps, moveCase, rehomeCases } from './move.js';
export { canMove, isFinished, parseStatus, staffStatuses } from './lifecycle.js';
export { cleanReporterText, isBlank, type Marked, type Segment, words } from './marked.js';
export { answerLabel, answerMarked, categoryOf, formatReport, questionLabel, type Report, reportMarked } from './report.js';
export { openReturnAddress, sealReturnAddress } from './return-address.js';
