// Runs inside a benchmarked child process: answers the bench's questions about this
// process's own CPU time and memory over IPC, and stops it on request.
// process.cpuUsage() only sees the calling process, so the figure must come from inside.

export interface Usage {
  /** user + system CPU time since the process started, in microseconds */
  cpuMicros: number;
  rssBytes: number;
  /** highest RSS sampled since the last reset (sampled every 50 ms) */
  peakRssBytes: number;
  heapUsedBytes: number;
  /** highest V8 heap total (what V8 reserved) sampled since the last reset */
  peakHeapTotalBytes: number;
  /** WebAssembly and Buffer memory outside the V8 heap */
  externalBytes: number;
}

export type ProbeRequest = { type: 'usage'; reset?: boolean } | { type: 'stop' };
export type ProbeReply = ({ type: 'usage' } & Usage) | { type: 'ready' } | { type: 'stopped' };

/**
 * BENCH_PROFILE_RUNS=dir: a V8 CPU profile of each measured run alone (from the usage
 * reset that starts a run to the next usage read), without start-up and the intake.
 */
async function runProfiler(dir: string) {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  let running = false;
  let n = 0;
  return {
    async start() {
      if (running) return;
      await session.post('Profiler.start');
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${dir}/run-${process.pid}-${++n}.cpuprofile`, JSON.stringify(profile));
    },
  };
}

export function answerProbes(stop: () => Promise<void>): void {
  const profiler = process.env.BENCH_PROFILE_RUNS ? runProfiler(process.env.BENCH_PROFILE_RUNS) : undefined;
  let peak = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapTotal;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapTotal);
  }, 50);
  sampler.unref();
  const reply = (m: ProbeReply) => process.send?.(m);
  process.on('message', (m: ProbeRequest) => void answer(m));
  async function answer(m: ProbeRequest): Promise<void> {
    if (m.type === 'usage') {
      if (profiler) await (await profiler).stop();
      const cpu = process.cpuUsage();
      const rss = process.memoryUsage.rss();
      peak = Math.max(peak, rss);
      const mem = process.memoryUsage();
      reply({
        type: 'usage',
        cpuMicros: cpu.user + cpu.system,
        rssBytes: rss,
        peakRssBytes: peak,
        heapUsedBytes: mem.heapUsed,
        peakHeapTotalBytes: Math.max(peakHeap, mem.heapTotal),
        externalBytes: mem.external + mem.arrayBuffers,
      });
      if (m.reset) {
        peak = rss;
        peakHeap = mem.heapTotal;
        if (profiler) await (await profiler).start();
      }
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      void stop().then(
        () => {
          reply({ type: 'stopped' });
          process.disconnect();
        },
        (err: unknown) => {
          process.stderr.write(`stop failed: ${String(err)}\n`);
          process.exit(1);
        },
      );
    }
  }
  reply({ type: 'ready' });
}
