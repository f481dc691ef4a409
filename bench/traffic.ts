// Simulated people on the local Bot API server: reporters who write, counsellors who
// answer every post in the staff chat, and a record of when each message left and
// arrived. Every message carries a marker (r<reporter>m<n>, answers a<reporter>m<n>)
// so a post that joins several messages still counts each of them once.
import type { Message, User } from 'grammy/types';
import type { BotApiServer } from '../src/sandbox/bot-api/index.js';

const MARKER = /\b([ra])(\d+)m(\d+)\b/g;
// A realistic report line (~150 characters): the crypto and copying cost grows with size.
const FILLER = 'Руководитель снова повысил голос на совещании и пригрозил лишить премии, если я продолжу жаловаться. Это уже третья неделя.';
const ANSWER = 'Спасибо, что написали. Вы сейчас в безопасности? Мы можем поговорить конфиденциально.';

export interface OfferPlan {
  /** reporters[i] writes as r<i> */
  reporters: User[];
  /** messages each reporter sends in this run, numbered from `firstMessage` */
  messagesPerReporter: number;
  firstMessage?: number;
  /** messages per second offered; 0 sends them all at once (a burst) */
  rate: number;
  /** stop offering after this long even if not all were sent */
  offerForMs?: number;
}

export class Traffic {
  readonly sentAt = new Map<string, number>();
  readonly postedAt = new Map<string, number>();
  readonly answerSentAt = new Map<string, number>();
  readonly answeredAt = new Map<string, number>();
  /** every message the bot put into the staff chat (headers included), by time */
  readonly staffSends: number[] = [];
  duplicates = 0;
  answerDuplicates = 0;
  /** posts that showed a reporter's message before an earlier one of theirs */
  outOfOrder = 0;
  maxBacklog = 0;
  /** counsellors answer every post that carries a reporter's message */
  answer: boolean;
  private readonly lastPosted = new Map<string, number>();
  private readonly others = new Set<number>();
  private readonly indexOf = new Map<number, number>();
  private readonly unsubscribe: () => void;
  private readonly sampler: NodeJS.Timeout;

  constructor(
    private readonly api: BotApiServer,
    private readonly staff: { id: number },
    private readonly counsellor: User,
    private readonly mode: 'topics' | 'replies',
    answer: boolean,
  ) {
    this.answer = answer;
    this.unsubscribe = api.onBotMessage((m) => this.observe(m));
    this.sampler = setInterval(() => {
      this.maxBacklog = Math.max(this.maxBacklog, this.backlog);
    }, 50);
  }

  /** Another staff chat whose posts count and are answered (a team's, STAFF_CHATS). */
  addStaffChat(chat: { id: number }): void {
    this.others.add(chat.id);
  }

  addReporters(users: User[], from = 0): void {
    users.forEach((u, i) => this.indexOf.set(u.id, from + i));
  }

  get backlog(): number {
    return this.sentAt.size - this.postedAt.size;
  }

  get answerBacklog(): number {
    return this.answerSentAt.size - this.answeredAt.size;
  }

  /** Sends the plan's messages at its rate; resolves when the last one was sent. */
  async offer(plan: OfferPlan): Promise<void> {
    const first = plan.firstMessage ?? 0;
    const order: [User, number][] = [];
    for (let m = first; m < first + plan.messagesPerReporter; m++) for (const u of plan.reporters) order.push([u, m]);
    const t0 = performance.now();
    const deadline = plan.offerForMs === undefined ? Infinity : t0 + plan.offerForMs;
    let next = 0;
    while (next < order.length && performance.now() < deadline) {
      const due = plan.rate > 0 ? Math.min(order.length, Math.floor(((performance.now() - t0) * plan.rate) / 1000) + 1) : Math.min(order.length, next + 200);
      for (; next < due; next++) {
        const [user, m] = order[next]!;
        this.send(user, m);
      }
      await new Promise((r) => (plan.rate > 0 ? setTimeout(r, 2) : setImmediate(r)));
    }
  }

  private send(user: User, m: number): void {
    const marker = `r${this.indexOf.get(user.id)}m${m}`;
    this.sentAt.set(marker, Date.now());
    this.api.sendPrivate(user, `${marker} ${FILLER}`);
  }

  private observe(message: Message): void {
    const now = Date.now();
    const text = message.text ?? '';
    if (message.chat.id === this.staff.id || this.others.has(message.chat.id)) {
      if (message.chat.id === this.staff.id) this.staffSends.push(now);
      let last: string | undefined;
      for (const [, kind, r, m] of text.matchAll(MARKER)) {
        if (kind !== 'r') continue;
        const marker = `r${r}m${m}`;
        if (this.postedAt.has(marker)) this.duplicates++;
        else this.postedAt.set(marker, now);
        if ((this.lastPosted.get(r!) ?? -1) > Number(m)) this.outOfOrder++;
        this.lastPosted.set(r!, Number(m));
        last = `a${r}m${m}`;
      }
      if (last && this.answer) {
        const answer = last;
        const where = this.mode === 'topics' ? { threadId: message.message_thread_id! } : { replyTo: message.message_id };
        // Not from inside the server's own event: answer on the next turn, like a person would.
        setImmediate(() => {
          this.answerSentAt.set(answer, Date.now());
          this.api.sendGroup(message.chat, this.counsellor, `${answer} ${ANSWER}`, where);
        });
      }
    } else {
      for (const [, kind, r, m] of text.matchAll(MARKER)) {
        if (kind !== 'a') continue;
        const marker = `a${r}m${m}`;
        if (this.answeredAt.has(marker)) this.answerDuplicates++;
        else this.answeredAt.set(marker, now);
      }
    }
  }

  /** Everything offered was posted, and (when counsellors answer) every answer reached its reporter. */
  settled(): boolean {
    return this.backlog === 0 && (!this.answer || this.answerBacklog === 0);
  }

  /** Resolves true when settled, false at the timeout. Answers go out a turn later, so settled must hold twice. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let streak = 0;
    while (Date.now() < deadline) {
      streak = this.settled() ? streak + 1 : 0;
      if (streak >= 2) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.sampler);
  }
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(from: Map<string, number>, to: Map<string, number>): Latency {
  const values: number[] = [];
  for (const [marker, at] of to) {
    const start = from.get(marker);
    if (start !== undefined) values.push(at - start);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => (values.length ? values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]! : NaN);
  return { count: values.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: values.length ? values[values.length - 1]! : NaN };
}

/** First send to last arrival, in seconds. */
export function span(from: Map<string, number>, to: Map<string, number>): number {
  let first = Infinity;
  let last = -Infinity;
  for (const t of from.values()) first = Math.min(first, t);
  for (const t of to.values()) last = Math.max(last, t);
  return Math.max(0.001, (last - first) / 1000);
}
