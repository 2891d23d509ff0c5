import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, loadRouting } from '../config/load.js';
import { parseYaml } from '../config/yaml-errors.js';

/** A routing file has "areas" at the top; a main file does not. */
function isRoutingFile(file: string): boolean {
  const source = parseYaml(file, readFileSync(file, 'utf8'));
  const top = source.doc.toJS() as Record<string, unknown> | null;
  return top !== null && typeof top === 'object' && 'areas' in top;
}

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('configuration');
  config
    .command('check [file]')
    .description(
      'validate a configuration or routing file; exit 2 naming the key and the fix when it is wrong',
    )
    .action((file: string | undefined) => {
      if (file && isRoutingFile(file)) {
        const { routing } = loadRouting(file);
        process.stdout.write(
          `${file}: valid routing file: ${routing.areas.length} areas, ${routing.rules.length} rules, ${routing.caseNumbers.patterns.length} case-number patterns\n`,
        );
        return;
      }
      const loaded = loadConfig(file);
      const lines = [
        `${loaded.file}: valid`,
        `  routing:  ${loaded.routingFile} (${loaded.routing.areas.length} areas, ${loaded.routing.rules.length} rules)`,
        `  data:     ${loaded.dataDir}`,
        `  source:   ${loaded.main.source.kind === 'imap' && loaded.imap ? `imap ${loaded.imap.url.host}` : `maildir ${loaded.inboxDir}`}`,
        `  smtp:     ${loaded.smtp ? loaded.smtp.url.host : 'none (no forwards)'}`,
        `  model:    ${loaded.modelDir}`,
        `  shadow:   ${loaded.main.shadow}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
