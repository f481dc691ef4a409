// A person on WhatsApp going through the intake conversation. WhatsApp has no buttons:
// every question arrives as one text ending in a numbered menu ("1. …" lines), and the
// person answers by typing the number, through the fake WhatsApp (the same events and
// shapes as whatsapp-web.js). The answers are those of fileReportByTyping in
// intake-driver.ts; this driver can also pick up a conversation whose first message was
// written while the line was down, and stop at the evidence question.
import { CODE } from './intake-driver.js';
import { until, type FakeWhatsApp } from './fake-whatsapp.js';

/** A question with options, as text channels show it: "1. …" lines. */
export const MENU = /^1\. \S/m;
const PASSPHRASE = /: ([a-z]+(?: [a-z]+){3})$/m;
const LANGUAGE_NUMBER = { kk: '1', ru: '2', en: '3' } as const;

export type WaLang = keyof typeof LANGUAGE_NUMBER;

export class WhatsAppTyper {
  constructor(
    private readonly fake: FakeWhatsApp,
    readonly line: string,
    readonly jid: string,
  ) {}

  /** Every text the hotline has sent this chat on this line. */
  texts(): string[] {
    return this.fake.sentTo(this.line, this.jid);
  }

  /**
   * Waits until the hotline, after its first `since` texts to this chat, has sent
   * something and its latest text is a question with a menu; returns those texts.
   */
  async question(since: number, label = 'a question'): Promise<string[]> {
    return until(
      () => {
        const fresh = this.texts().slice(since);
        return fresh.length > 0 && MENU.test(fresh.at(-1)!) ? fresh : undefined;
      },
      { label: `${label} on ${this.line}` },
    );
  }

  /** Types `text` and waits for the next question; returns what the hotline said. */
  async answer(text: string): Promise<string[]> {
    const since = this.texts().length;
    this.fake.write(this.line, this.jid, text);
    return this.question(since, `a question after "${text}"`);
  }

  /** Types `text` and waits for the receipt; returns its code and passphrase. */
  async send(text = '1'): Promise<{ code: string; passphrase: string }> {
    const since = this.texts().length;
    this.fake.write(this.line, this.jid, text);
    const receipt = await until(
      () =>
        this.texts()
          .slice(since)
          .find((t) => CODE.test(t) && PASSPHRASE.test(t)),
      {
        label: `the receipt on ${this.line}`,
      },
    );
    return { code: CODE.exec(receipt)![1]!, passphrase: PASSPHRASE.exec(receipt)![1]! };
  }
}

export interface ReportOptions {
  /** the language chosen from the menu */
  lang: WaLang;
  /** the account, one message each */
  account?: string[];
}

/**
 * From the language question to the evidence question: the language, continue, report, not in
 * danger, bullying, not about staff, me, this week, on campus, ongoing, the account, done.
 */
export async function answerUpToEvidence(r: WhatsAppTyper, o: ReportOptions): Promise<void> {
  for (const n of [LANGUAGE_NUMBER[o.lang], '1', '1', '2', '3', '2', '1', '2', '1', '1']) await r.answer(n);
  for (const line of o.account ?? ['It keeps happening in the dormitory.']) await r.answer(line);
  await r.answer('1'); // done
}

/** From the evidence question on: no (more) evidence, anonymous, send. */
export async function finishFromEvidence(r: WhatsAppTyper): Promise<{ code: string; passphrase: string }> {
  await r.answer('1'); // continue
  await r.answer('1'); // anonymous
  return r.send('1');
}

export interface WhatsAppReport {
  code: string;
  passphrase: string;
  /** what the hotline sent this chat from the first message on, the receipt last */
  conversation: string[];
}

/**
 * The whole conversation, typed: `first` opens it (kept as a note), then the answers
 * of answerUpToEvidence and finishFromEvidence. With `written`, the first message was
 * already written (say, while the line was down) when the hotline had sent this chat
 * that many texts, and the driver takes up the conversation from its answer.
 */
export async function fileReportOnWhatsApp(
  fake: FakeWhatsApp,
  line: string,
  jid: string,
  o: ReportOptions & ({ first: string } | { written: number }),
): Promise<WhatsAppReport> {
  const r = new WhatsAppTyper(fake, line, jid);
  const since = 'written' in o ? o.written : r.texts().length;
  if ('first' in o) fake.write(line, jid, o.first);
  await r.question(since, 'the language question');
  await answerUpToEvidence(r, o);
  const { code, passphrase } = await finishFromEvidence(r);
  return { code, passphrase, conversation: r.texts().slice(since) };
}
