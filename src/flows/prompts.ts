// Turns the step a conversation is at into a Reply in the reporter's language: the
// question from the catalog (ask-<step>) and its options (opt-<step>-<value>).
import { languages } from '../shared/index.js';
import type { Conversation } from '../store/index.js';
import { stepOf, type Flow } from './flow.js';
import { attribute, t, type CatalogId, emergencyList } from '../i18n/index.js';
import type { Reply } from './reply.js';
import { formatReport } from '../cases/index.js';
import { reportOf } from './intake-flow.js';

export interface PromptSettings {
  emergencyNumbers: readonly string[];
  evidence: { maxBytes: number; maxFiles: number };
}

const optionId = (step: string, value: string) => `opt-${step}-${value}` as CatalogId;

/** Every word that answers with this option: its label and aliases in all three languages. */
export function optionWords(step: string, value: string): string[] {
  return languages.flatMap((lang) => [
    t(lang, optionId(step, value)),
    ...(attribute(lang, optionId(step, value), 'aliases') ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
  ]);
}

/** One line per number, e.g. "112: unified emergency service". */
export { emergencyList };

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function promptFor(flow: Flow, c: Conversation, settings: PromptSettings, code?: string): Reply {
  const { lang, step: id } = c;
  const step = stepOf(flow, id);
  let text: string;
  switch (id) {
    case 'language':
      // The reporter may not read the language their phone is set to: ask in all three.
      text = [lang, ...languages.filter((l) => l !== lang)].map((l) => t(l, 'ask-language')).join('\n');
      break;
    case 'consent':
      text = t(lang, 'ask-consent', { numbers: emergencyList(lang, settings.emergencyNumbers) });
      break;
    case 'evidence':
      text = t(lang, 'ask-evidence', { max: settings.evidence.maxFiles, limit: formatSize(settings.evidence.maxBytes) });
      break;
    case 'review':
      text = t(lang, 'ask-review', { summary: formatReport(reportOf(c, true), lang) });
      break;
    default:
      text = t(lang, `ask-${id}` as CatalogId, { code: code ?? '' });
  }
  return { text, menu: { step: id, options: step.options.map((value) => ({ value, label: t(lang, optionId(id, value)) })) } };
}
