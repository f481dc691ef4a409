// How much memory a WhatsApp session costs. Chromium runs as a tree of processes
// (browser, renderers, GPU, utility); its cost is the sum over the tree under the
// browser pid puppeteer started. RSS counts shared pages once per process and so
// overstates; PSS shares them out and is the honest figure where the kernel has it.
import { readdir, readFile } from 'node:fs/promises';

export interface MemorySample {
  /** Sum of VmRSS over the process tree. */
  rssBytes: number;
  /** Sum of Pss over the tree (Linux >= 4.14 smaps_rollup); undefined where unreadable. */
  pssBytes?: number;
  processes: number;
}

/** Memory of `rootPid` and all its descendants; undefined where /proc is missing or the pid is gone. */
export async function processTreeMemory(rootPid: number): Promise<MemorySample | undefined> {
  const tree = await descendants(rootPid);
  if (!tree) return undefined;
  let rss = 0;
  let pss = 0;
  let pssKnown = true;
  let processes = 0;
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
    if (status === undefined) continue; // exited meanwhile
    processes++;
    rss += kibField(status, 'VmRSS') ?? 0;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
    const p = rollup === undefined ? undefined : kibField(rollup, 'Pss');
    if (p === undefined) pssKnown = false;
    else pss += p;
  }
  if (processes === 0) return undefined;
  return { rssBytes: rss * 1024, ...(pssKnown ? { pssBytes: pss * 1024 } : {}), processes };
}

async function descendants(rootPid: number): Promise<number[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined; // not Linux
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (!stat) continue;
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  if (!entries.includes(String(rootPid))) return undefined;
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function kibField(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

export const toMiB = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / 1024 / 102.4) / 10);
