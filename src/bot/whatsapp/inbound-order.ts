// The order a line handles messages in: one chat's messages one after another (a
// reporter's second message must not overtake the first that opens the case), and
// live messages held back while unread chats are read back, so older ones go first.

export class InboundOrder {
  private readonly tails = new Map<string, Promise<void>>();
  private held: (() => void)[] | undefined;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Handles after everything queued before for the same chat. */
  run(chat: string, handle: () => Promise<void>): void {
    const previous = this.tails.get(chat) ?? Promise.resolve();
    const mine = previous.then(handle).catch(this.onError);
    this.tails.set(chat, mine);
    void mine.then(() => {
      if (this.tails.get(chat) === mine) this.tails.delete(chat);
    });
  }

  /** A live message: queued now, or after the read-back if one is under way. */
  live(chat: string, handle: () => Promise<void>): void {
    if (this.held) this.held.push(() => this.run(chat, handle));
    else this.run(chat, handle);
  }

  /** Starts holding live messages back. */
  hold(): void {
    this.held ??= [];
  }

  /** Lets held messages go, in arrival order. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const queue of held) queue();
  }

  /** Resolves when everything queued so far has been handled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
