import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { openJournal } from '../daemon/main.js';
import { UsageError } from '../errors.js';
import { normaliseCaseNumber } from '../pipeline/case-numbers.js';
import { readCasesCsv } from '../journal/case-import.js';

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

export function parseCaseArgument(value: string): string {
  const match = /^(\d{2}|\d{4})-(\d{1,7})$/.exec(value.trim());
  const number = match ? normaliseCaseNumber(match[1] ?? '', match[2] ?? '') : null;
  if (!number) throw new UsageError(`"${value}" is not a case number; write it as 24-123456`);
  return number;
}

export function registerJournalCommands(program: Command): void {
  program
    .command('status')
    .description('what postrobot has done: mails by status and decision, outbox, cases')
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action((options: { config?: string; json?: boolean }) => {
      const config = loadConfig(options.config);
      const { journal } = openJournal(config);
      try {
        const stats = journal.stats();
        print(options.json, { dataDir: config.dataDir, ...stats }, () =>
          [
            `data directory: ${config.dataDir}`,
            `mails: ${
              Object.entries(stats.byStatus)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }`,
            `decisions: ${
              Object.entries(stats.byDecision)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }`,
            `routed per area: ${
              Object.entries(stats.routedByArea)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }`,
            `outbox: ${stats.pendingActions} pending, ${stats.failedActions} failed`,
            `cases: ${stats.cases}, documents: ${stats.documents}`,
            `last mail: ${stats.lastReceivedAt ?? 'never'}`,
          ].join('\n'),
        );
      } finally {
        journal.close();
      }
    });

  program
    .command('cases')
    .description('the cases with their area, caseworker and number of documents')
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action((options: { config?: string; json?: boolean }) => {
      const { journal } = openJournal(loadConfig(options.config));
      try {
        const cases = journal.listCases();
        print(options.json, cases, () =>
          cases.length === 0
            ? 'no cases yet'
            : cases
                .map(
                  (c) =>
                    `${c.number}  ${(c.area ?? '-').padEnd(20)} ${String(c.documents).padStart(3)} dok.  ${c.caseworker ?? ''}`,
                )
                .join('\n'),
        );
      } finally {
        journal.close();
      }
    });

  const caseCommand = program.command('case').description('one case: its documents and mails');
  caseCommand
    .argument('[case]', 'case number, e.g. 24-123456')
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action((value: string | undefined, options: { config?: string; json?: boolean }) => {
      if (!value) throw new UsageError('name a case number, e.g. postrobot case 24-123456');
      const number = parseCaseArgument(value);
      const { journal } = openJournal(loadConfig(options.config));
      try {
        const found = journal.getCase(number);
        if (!found) throw new UsageError(`no case ${number} in the journal`);
        const documents = journal.caseDocuments(number);
        const messages = journal.listMessages({ caseNumber: number });
        print(options.json, { ...found, documents, messages }, () =>
          [
            `Sag ${found.number} · ${found.area ?? 'intet område'} · ${found.caseworker ?? 'ingen sagsbehandler'}`,
            ...documents.map(
              (d) =>
                `  akt ${d.akt ?? '-'}${d.sub > 0 ? `.${d.sub}` : ''}  ${d.kind.padEnd(10)} ${d.title}  ${d.dated ?? ''}`,
            ),
          ].join('\n'),
        );
      } finally {
        journal.close();
      }
    });

  caseCommand
    .command('import <csv>')
    .description('import known cases from a CSV file: caseNumber,area,caseworker')
    .option('--config <file>', 'configuration file')
    .action((file: string, _options: unknown, command: Command) => {
      // --config may be given to "case" or to "import": the parent takes it first.
      const config = loadConfig(command.optsWithGlobals<{ config?: string }>().config);
      const rows = readCasesCsv(file, new Set(config.routing.areas.map((a) => a.id)));
      const { journal } = openJournal(config);
      try {
        const at = new Date().toISOString();
        for (const row of rows) journal.upsertCase({ ...row, source: 'import' }, at);
        process.stdout.write(`imported ${rows.length} cases\n`);
      } finally {
        journal.close();
      }
    });
}
