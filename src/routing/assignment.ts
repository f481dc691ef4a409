// Which on-duty counsellor gets a case: one who speaks the reporter's language, then
// the one with the fewest open cases, then whoever was assigned least recently (a
// round robin that survives restarts, since "last assigned" lives in Redis).
import type { CounsellorId, Lang } from '../shared/index.js';
import type { Counsellor } from './roster.js';

export interface AssignmentInput {
  candidates: readonly Counsellor[];
  lang: Lang;
  /** open cases per counsellor */
  load: ReadonlyMap<CounsellorId, number>;
  /** when each was last given a case (epoch ms); missing = never */
  lastAssigned: ReadonlyMap<CounsellorId, number>;
  /** people who must not get this case (recused, already tried in this escalation) */
  exclude?: ReadonlySet<CounsellorId>;
}

export function chooseCounsellor(input: AssignmentInput): Counsellor | undefined {
  const exclude = input.exclude ?? new Set();
  const speaks = (c: Counsellor) => (c.langs.includes(input.lang) ? 0 : 1);
  const load = (c: Counsellor) => input.load.get(c.id) ?? 0;
  const last = (c: Counsellor) => input.lastAssigned.get(c.id) ?? -Infinity;
  return input.candidates
    .filter((c) => c.active && !exclude.has(c.id))
    .sort((a, b) => speaks(a) - speaks(b) || load(a) - load(b) || last(a) - last(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}
