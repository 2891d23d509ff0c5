/**
 * Failpoints for the crash tests: POSTROBOT_FAILPOINT="after-move:7" kills the process
 * with SIGKILL the 7th time the step "after-move" is reached, exactly as a power cut
 * would. Unset (always, in production) it costs one comparison.
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
