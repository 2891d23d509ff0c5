/**
 * Failpoints for the crash tests: POSTROBOT_FAILPOINT="after-move:7" kills the process
 * with SIGKILL the 7th time the step "after-move" is reached, exactly as a power cut
 * would. Unset (always, in production) it costs one comparison.
 *
 * Each step is counted per mail. "after-move:N" is reached for the N-th mail whose move
 * the server confirmed and before its "done" is committed; moves go out one command per
 * folder for a chunk of mails, so when it fires the other moves of that command are done
 * on the server and not yet in the ledger — the restart must find them in their folders.
 */
export type FailpointName =
  'after-intake' | 'after-decision' | 'after-forward' | 'after-move' | 'before-done';

const spec = process.env.POSTROBOT_FAILPOINT ?? '';
const [targetName, targetCount] = spec.split(':');
const limit = Number(targetCount ?? '1') || 1;
let hits = 0;

export function failpoint(name: FailpointName): void {
  if (spec === '' || name !== targetName) return;
  hits += 1;
  if (hits === limit) process.kill(process.pid, 'SIGKILL');
}
