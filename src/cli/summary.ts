import type { PassSummary } from '../daemon/daemon.js';
import type { Runtime } from '../daemon/main.js';
import { subfolderPath } from '../daemon/sources/maildir.js';

/** The short summary `npm start` prints after the first pass over the demo inbox. */
export function printDemoSummary(runtime: Runtime, summary: PassSummary): void {
  const stats = runtime.journal.stats();
  const routing = runtime.state.routing.config;
  const lines: string[] = ['', `postrobot: ${summary.seen} mails in the inbox this pass`, ''];
  lines.push('  Routed per area:');
  for (const area of routing.areas) {
    lines.push(
      `    ${area.name.padEnd(22)} ${String(stats.routedByArea[area.id] ?? 0).padStart(4)}`,
    );
  }
  lines.push(
    `  ${'Manuel fordeling'.padEnd(24)} ${String(stats.byDecision.manual ?? 0).padStart(4)}`,
  );
  lines.push(`  ${'Karantæne'.padEnd(24)} ${String(stats.byDecision.quarantine ?? 0).padStart(4)}`);
  lines.push(
    `  ${'Duplicates (linked)'.padEnd(24)} ${String(stats.byStatus.duplicate ?? 0).padStart(4)}`,
  );
  lines.push('', `  Cases: ${stats.cases}, documents: ${stats.documents}.`);
  lines.push(`  Folders: ${subfolderPath(runtime.config.inboxDir, '<folder>')}`);
  lines.push('  See them with: npx postrobot cases   ·   npx postrobot status', '');
  process.stdout.write(lines.join('\n') + '\n');
}
