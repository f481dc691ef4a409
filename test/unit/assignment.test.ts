import { describe, expect, it } from 'vitest';
import type { CounsellorId } from '../../src/shared/ids.js';
import { chooseCounsellor } from '../../src/routing/assignment.js';
import type { Counsellor } from '../../src/routing/roster.js';

const c = (id: string, langs: Counsellor['langs'], active = true): Counsellor => ({
  id: id as CounsellorId,
  role: 'counsellor',
  langs,
  active,
  escalation: false,
});
const dana = c('dana', ['ru', 'kk']);
const arman = c('arman', ['ru', 'en']);
const aida = c('aida', ['kk']);
const none = new Map<CounsellorId, number>();
const load = (o: Record<string, number>) => new Map(Object.entries(o)) as Map<CounsellorId, number>;

describe('choosing a counsellor', () => {
  it('prefers one who speaks the reporter’s language, even if busier', () => {
    const pick = chooseCounsellor({ candidates: [arman, aida], lang: 'kk', load: load({ aida: 5, arman: 0 }), lastAssigned: none });
    expect(pick?.id).toBe('aida');
  });

  it('then the least loaded', () => {
    const pick = chooseCounsellor({ candidates: [dana, aida], lang: 'kk', load: load({ dana: 2, aida: 1 }), lastAssigned: none });
    expect(pick?.id).toBe('aida');
  });

  it('then round robin: whoever was given a case least recently', () => {
    const candidates = [dana, arman];
    const last = new Map<CounsellorId, number>();
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const pick = chooseCounsellor({ candidates, lang: 'ru', load: none, lastAssigned: last })!;
      picks.push(pick.id);
      last.set(pick.id, i + 1);
    }
    expect(picks).toEqual(['arman', 'dana', 'arman', 'dana']);
  });

  it('skips excluded (recused, already tried) and inactive people; none left is undefined', () => {
    expect(chooseCounsellor({ candidates: [dana, arman], lang: 'ru', load: none, lastAssigned: none, exclude: new Set([arman.id]) })?.id).toBe('dana');
    expect(chooseCounsellor({ candidates: [c('gone', ['ru'], false)], lang: 'ru', load: none, lastAssigned: none })).toBeUndefined();
  });
});
