// The surface of src/routing: what other folders may import. Everything else here is internal.
export type { CaseDesk } from './case-desk.js';
export type { SlaBreach } from './duty-context.js';
export { createDutyDesk, type DutyDesk } from './duty-desk.js';
export { noticeText } from './notices.js';
export { exportRoster, importRoster, type RosterContents } from './roster-import.js';
export { desksOf, inDesk, Roster } from './roster.js';
export { commandNames, staffCommands, isCommandName, type PersonRef, type StaffCommands } from './staff-commands.js';
export { StaffDirectory, type StaffIdentity } from './staff-directory.js';
export { type CaseLink, type DeskButton, type DeskResult, isCaseLink, nameOf, staffText, statusName, type StaffText } from './staff-text.js';
export { caseCard, categoryName, currentCard } from './case-card.js';
export { dailySummary } from './case-list.js';
