import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { dataPaths } from '../daemon/main.js';
import { classifyContext } from '../daemon/classify-context.js';
import { OWN_MARKER_HEADER } from '../daemon/processor.js';
import { describeError, PostrobotError } from '../errors.js';
import { SqliteJournal } from '../journal/sqlite-journal.js';
import { silentLogger } from '../log/logger.js';
import { classify } from '../pipeline/classify.js';
import { decide } from '../pipeline/decide.js';
import { extractMail } from '../pipeline/extract.js';
import { parseMail } from '../pipeline/parse.js';
import { compileRouting } from '../pipeline/routing.js';
import { loggerFor } from './logging.js';
import { loadModelOrRulesOnly } from './model.js';

interface ClassifyLine {
  file: string;
  area: string | null;
  confidence: number;
  decision: 'route' | 'manual';
  caseNumber: string | null;
  reasons: string[];
}

export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('classify mail files as the daemon would, without acting')
    .argument('<files...>', '.eml files')
    .option('--config <file>', 'configuration file')
    .option('--model <dir>', 'model folder (default: model.dir of the config)')
    .option('--json', 'one JSON object per line per file')
    .action(
      async (files: string[], options: { config?: string; model?: string; json?: boolean }) => {
        const config = loadConfig(options.config);
        const log = options.json ? silentLogger() : loggerFor(config, true);
        const model = await loadModelOrRulesOnly(
          options.model ? resolve(options.model) : config.modelDir,
          options.json ? loggerFor(config, true) : log,
        );
        const routing = compileRouting(config.routing, config.caseNumberPatterns);
        const journalFile = dataPaths(config.dataDir).journal;
        const journal = existsSync(journalFile) ? new SqliteJournal(journalFile) : null;
        let failures = 0;
        try {
          for (const file of files) {
            let line: ClassifyLine;
            try {
              const mail = await parseMail(readFileSync(file), config.main.limits);
              const extracted = extractMail(mail, {
                caseNumberPatterns: config.caseNumberPatterns,
                ownMarkerHeader: OWN_MARKER_HEADER,
              });
              const classification = classify(
                mail,
                extracted,
                classifyContext(journal, routing, model),
              );
              const decision = decide(
                classification,
                extracted.automatic,
                config.routing,
                classification.modelThreshold ?? null,
              );
              line = {
                file,
                area: classification.area,
                confidence: Math.round(decision.confidence * 10_000) / 10_000,
                decision: decision.kind === 'route' ? 'route' : 'manual',
                caseNumber: decision.caseNumber,
                reasons: decision.reasons.map((reason) => `${reason.kind}: ${reason.detail}`),
              };
            } catch (error) {
              failures += 1;
              const code = error instanceof PostrobotError ? error.code : 'Error';
              line = {
                file,
                area: null,
                confidence: 0,
                decision: 'manual',
                caseNumber: null,
                reasons: [`quarantine: ${code}: ${describeError(error)}`],
              };
            }
            if (options.json) process.stdout.write(`${JSON.stringify(line)}\n`);
            else
              process.stdout.write(
                `${line.file}: ${line.decision} ${line.area ?? '-'} ${line.confidence.toFixed(3)}${line.caseNumber ? ` sag ${line.caseNumber}` : ''}\n    ${line.reasons.join('\n    ')}\n`,
              );
          }
        } finally {
          journal?.close();
        }
        if (failures > 0 && failures === files.length) process.exitCode = 1;
      },
    );
}
