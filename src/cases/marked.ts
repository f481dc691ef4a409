// Text in which the reporter's own words are marked off from Trustline's own lines, so
// that nothing a reporter writes can pass for the bot ("✅ closed", "👤 assigned") in
// front of a counsellor. Platform-free: the staff edge renders the marks (Telegram:
// blockquotes); plain(...) is the same text unmarked, for the reporter's own review.

/** Trustline's words as plain strings, the reporter's as `{ reporter }`. */
export type Segment = string | { reporter: string };
export type Marked = Segment[];

export const words = (reporter: string): Segment => ({ reporter });

export function plain(marked: readonly Segment[]): string {
  return marked.map((s) => (typeof s === 'string' ? s : s.reporter)).join('');
}

/** Joins marked texts with a separator of Trustline's. */
export function joinMarked(parts: readonly (readonly Segment[])[], separator: string): Marked {
  return parts.flatMap((part, i) => (i === 0 ? [...part] : [separator, ...part]));
}

// C0 and C1 controls except tab and newline.
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const EMBEDDINGS = new Set(['\u202A', '\u202B', '\u202D', '\u202E']); // LRE RLE LRO RLO
const ISOLATES = new Set(['\u2066', '\u2067', '\u2068']); // LRI RLI FSI

/**
 * The reporter's words as a staff post shows them: control characters other than newline
 * and tab removed, and every right-to-left (or other) override or isolate they opened
 * closed at the end of its line, so it cannot reorder what follows. Nothing else changes.
 */
export function cleanReporterText(text: string): string {
  return text
    .replace(CONTROLS, '')
    .split('\n')
    .map((line) => {
      let embeddings = 0;
      let isolates = 0;
      for (const ch of line) {
        if (EMBEDDINGS.has(ch)) embeddings++;
        else if (ch === '\u202C' && embeddings > 0) embeddings--;
        else if (ISOLATES.has(ch)) isolates++;
        else if (ch === '\u2069' && isolates > 0) isolates--;
      }
      return line + '\u202C'.repeat(embeddings) + '\u2069'.repeat(isolates);
    })
    .join('\n');
}

// Whitespace, controls, format characters (zero-width, bidi marks), variation selectors
// and the fillers some keyboards use as "blank" characters.
// eslint-disable-next-line no-misleading-character-class -- single invisible code points, listed one by one on purpose
const INVISIBLE = /[\s\p{Cc}\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180E\u2800\u3164\uFE00-\uFE0F\uFFA0]|\uDB40[\uDD00-\uDDEF]/gu;

/** True when nothing of the text would show on a screen: treated as an empty message. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}
