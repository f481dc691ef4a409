// Commands a reporter can type at any step, on any channel ("/help", "/resume CODE
// words"). Telegram adds "@botname" in groups and some clients; it is ignored.
export const commands = ['start', 'help', 'cancel', 'language', 'status', 'withdraw', 'forget', 'resume'] as const;
export type Command = (typeof commands)[number];

export function parseCommand(text: string): { command: Command; args: string } | undefined {
  const match = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  if (!(commands as readonly string[]).includes(name)) return undefined;
  return { command: name as Command, args: (match[2] ?? '').trim() };
}
