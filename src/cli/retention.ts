// `trustline retention run [--dry-run]`: the daily retention pass, by hand.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { runRetention, type RetentionRun } from '../retention/index.js';
import { dayOf, queuePrefix } from '../store/index.js';
import { withRedis } from './redis.js';
import { Queue } from 'bullmq';
import { jobIds, queueNames, type StaffErasureJob } from '../queue/index.js';

export const RETENTION_USAGE = `Usage:
  trustline retention run [--dry-run]   shred closed cases past RETENTION_CLOSED_DAYS (default 365);
                                        --dry-run lists them and changes nothing
`;

export async function retentionCommand(args: string[], now: () => number = Date.now): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  if (positionals[0] !== 'run') {
    process.stderr.write(RETENTION_USAGE);
    return 2;
  }
  const config = loadConfig(process.env, []);
  const run = await withRedis(config, async (redis) => {
    // The running hotline holds the bot: it deletes the shredded cases' staff chat copies.
    const erase = new Queue<StaffErasureJob>(queueNames.staffErase, { connection: redis, prefix: queuePrefix });
    try {
      return await runRetention({
        redis,
        now: now(),
        closedDays: config.retention.closedDays,
        intakeDays: config.retention.intakeDays,
        timeZone: config.timeZone,
        dryRun: values['dry-run'] === true,
        auditDays: config.retention.auditDays,
        eraseStaffCopy: async (job) =>
          void (await erase.add('erase', job, {
            jobId: jobIds.staffErase(job.code),
            removeOnComplete: true,
            attempts: 5,
            backoff: { type: 'exponential', delay: 5_000 },
          })),
      });
    } finally {
      await erase.close();
    }
  });
  process.stdout.write(describeRun(run, config.retention, config.timeZone));
  return 0;
}

export function describeRun(run: RetentionRun, limits: { closedDays: number; intakeDays: number }, timeZone: string): string {
  const verb = run.dryRun ? 'Would shred' : 'Shredded';
  const lines = [`${verb} ${run.shredded.length} case(s) closed or withdrawn more than ${limits.closedDays} days ago${run.shredded.length ? ':' : '.'}`];
  for (const c of [...run.shredded].sort((a, b) => a.closedAt - b.closedAt)) {
    lines.push(`  ${c.code}  ${c.status.padEnd(9)}  ${dayOf(c.closedAt, timeZone)}`);
  }
  lines.push(`${run.kept} closed case(s) kept: still inside their retention period.`);
  if (run.held) lines.push(`${run.held} closed case(s) on hold (/hold): kept until the hold is lifted.`);
  if (run.clockStarted) {
    lines.push(`${run.clockStarted} closed case(s) had no closing date; ${run.dryRun ? 'a run would start' : 'started'} their period today.`);
  }
  lines.push(`${run.conversationsBounded} unfinished intake conversation(s) ${run.dryRun ? 'would be' : 'were'} limited to ${limits.intakeDays} days.`);
  if (run.dryRun) lines.push('Dry run: nothing was changed.');
  else if (run.shredded.length) {
    lines.push('Their statistics remain for the annual report; their content and keys are gone for good.');
    if (run.staffCopiesErased)
      lines.push(`${run.staffCopiesErased} case(s) queued for deletion from the staff chat; the staff chat says what could not be removed.`);
    if (run.staffCopiesLeft) lines.push(`${run.staffCopiesLeft} case(s) still have messages in the staff chat: delete them there by hand.`);
  }
  return `${lines.join('\n')}\n`;
}
