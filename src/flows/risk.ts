// Words that suggest someone may be in danger right now. A match makes the case urgent
// and gives the reporter the emergency numbers at once; a false alarm costs a counsellor
// a quick look, a miss may cost more, so the lists lean towards catching.
//
// Syntax of a term: a word matches a whole word; "stem*" matches any word starting
// with the stem (Kazakh and Russian inflect heavily); several words match a phrase.
// Lists are per language but every message is checked against all of them, since
// people mix languages. RISK_WORDS_KK / _RU / _EN replace a language's list.
import { languages, type Lang } from '../shared/index.js';
import { normalizeAnswer } from './answers.js';

export const defaultRiskWords: Record<Lang, readonly string[]> = {
  kk: [
    'өлтір*',
    'өлгім келеді',
    'өзіме қол салам*',
    'өз өзіме қол*',
    'суицид*',
    'асылып*',
    'зорлады',
    'зорлау*',
    'зорламақ*',
    'ұрып соғ*',
    'ұрады',
    'ұрып жатыр',
    'пышақ*',
    'қару',
    'қарумен',
    'қауіп төніп',
    'қауіптемін',
    'құтқарыңдар',
  ],
  ru: [
    'убить',
    'убью',
    'убьет',
    'убьют',
    'убил*',
    'убийств*',
    'суицид*',
    'самоубийств*',
    'покончить с собой',
    'покончу с собой',
    'не хочу жить',
    'изнасил*',
    'избива*',
    'избил*',
    'бьет меня',
    'бьют меня',
    'нож',
    'ножом',
    'пистолет*',
    'оружи*',
    'в опасности',
    'напал*',
    'спасите',
    'порезать себя',
    'причинить себе вред',
  ],
  en: [
    'kill*',
    'suicid*',
    'end my life',
    'want to die',
    'hurt myself',
    'self harm',
    'rape*',
    'raping',
    'beat me',
    'beating me',
    'beats me',
    'hits me',
    'hit me',
    'knife',
    'gun',
    'weapon*',
    'in danger',
    'attacked',
    'save me',
  ],
};

interface Term {
  words: string[];
  /** the last word is a prefix */
  stem: boolean;
}

function parse(term: string): Term | undefined {
  const stem = term.trim().endsWith('*');
  const words = normalizeAnswer(term.replace(/\*$/, '')).replace(/ё/g, 'е').split(' ').filter(Boolean);
  return words.length ? { words, stem } : undefined;
}

function matches(tokens: string[], term: Term): boolean {
  const n = term.words.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const token = tokens[i + j]!;
      const word = term.words[j]!;
      ok = term.stem && j === n - 1 ? token.startsWith(word) : token === word;
    }
    if (ok) return true;
  }
  return false;
}

export type RiskDetector = (text: string) => boolean;

export function riskDetector(overrides: Partial<Record<Lang, readonly string[]>> = {}): RiskDetector {
  const terms = languages
    .flatMap((lang) => overrides[lang] ?? defaultRiskWords[lang])
    .map(parse)
    .filter((t): t is Term => t !== undefined);
  return (text) => {
    const tokens = normalizeAnswer(text).replace(/ё/g, 'е').split(' ').filter(Boolean);
    return terms.some((term) => matches(tokens, term));
  };
}
