// The surface of src/flows: what other folders may import. Everything else here is internal.
export { createCase } from './case-opening.js';
export { commands } from './commands.js';
export { EvidenceTooBig } from './evidence.js';
export type { IntakeDeps } from './intake-context.js';
export { createIntakeTimer, type IntakeTimer } from './intake-timer.js';
export { reportCategories } from './intake-flow.js';
export { createIntake, type Intake, type IntakeOutcome, type ReporterContent } from './intake.js';
export { renderAsText, type Reply } from './reply.js';
export { createReader, type Reader, type Reading } from './rights.js';
