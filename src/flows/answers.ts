// Reading a typed answer as one of a question's options: by its number in the menu,
// or by its words in any of the three languages (a Kazakh speaker whose phone is set
// to Russian may still type "иә"), ignoring case, punctuation and emoji.

export interface OptionWords {
  value: string;
  /** labels and aliases in every language */
  words: readonly string[];
}

/** Lower case, letters and digits only, single spaces. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function matchOption(text: string, options: readonly OptionWords[]): string | undefined {
  const typed = normalizeAnswer(text);
  if (typed === '') return undefined;
  // "2", "2.", "2)" or "#2": the position in a numbered menu
  const number = /^#?\s*(\d{1,2})\s*[.)]?$/.exec(text.trim());
  if (number) return options[Number(number[1]) - 1]?.value;
  const hits = options.filter((o) => o.words.some((w) => normalizeAnswer(w) === typed));
  return hits.length === 1 ? hits[0]!.value : undefined;
}
