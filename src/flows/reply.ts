// What the hotline says back, before any platform renders it: text, and optionally a
// question's options. Telegram shows options as inline buttons, text channels
// (WhatsApp, the sandbox) as a numbered menu; a typed number or option works on both.
import type { Lang } from '../shared/index.js';
import { t } from '../i18n/index.js';

export interface Menu {
  /** the step the options answer; a button of an older step is recognised as stale */
  step: string;
  options: { value: string; label: string }[];
}

export interface Reply {
  text: string;
  menu?: Menu;
}

/** The plain-text rendering: the question, then "1. …" lines and a hint. */
export function renderAsText(reply: Reply, lang: Lang): string {
  if (!reply.menu) return reply.text;
  const lines = reply.menu.options.map((o, i) => `${i + 1}. ${o.label}`);
  return `${reply.text}\n\n${lines.join('\n')}\n${t(lang, 'menu-hint')}`;
}
