import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { openJournal } from '../daemon/main.js';
import { UsageError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { rebuildCaseBundle } from '../pdf/index.js';
import { parseCaseArgument } from './journal-commands.js';

/** A mail named by its ledger id (as `postrobot status`/`case` show it) or its Message-ID. */
function findMail(journal: Journal, value: string): number {
  if (/^\d+$/.test(value)) {
    const found = journal.getMessage(Number(value));
    if (found) return found.id;
  }
  const byHeader = journal.findByMessageIdHeader([
    value.startsWith('<') ? value : `<${value}>`,
    value,
  ]);
  if (byHeader[0]) return byHeader[0].id;
  throw new UsageError(
    `no mail "${value}" in the journal; give its id from "postrobot case" or its Message-ID`,
  );
}

/** `postrobot bundle CASE [--out FILE]` and `postrobot case attach CASE MAILID`. */
export function registerPdfCommands(program: Command): void {
  program
    .command('bundle')
    .description(
      'build or rebuild the combined PDF of a case (cover, contents, every document, bookmarks)',
    )
    .argument('<case>', 'case number, e.g. 24-123456')
    .option('--out <file>', 'where to write the PDF (default: <data dir>/bundles/<case>.pdf)')
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action(async (value: string, options: { out?: string; config?: string; json?: boolean }) => {
      const caseNumber = parseCaseArgument(value);
      const config = loadConfig(options.config);
      const { journal, blobs } = openJournal(config);
      try {
        if (!journal.getCase(caseNumber))
          throw new UsageError(`no case ${caseNumber} in the journal`);
        const result = await rebuildCaseBundle(
          { journal, blobs, bundleDir: join(config.dataDir, 'bundles') },
          caseNumber,
          { ...(options.out ? { outFile: options.out } : {}), inWorker: false },
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${result.file}: ${result.documents} documents, ${result.pages} pages\n`,
        );
      } finally {
        journal.close();
      }
    });

  const caseCommand =
    program.commands.find((command) => command.name() === 'case') ?? program.command('case');
  caseCommand
    .command('attach <case> <mail>')
    .description(
      'file a mail that waits as new post on a case, as its next akt (nothing is renumbered)',
    )
    .option('--config <file>', 'configuration file')
    .option('--by <person>', 'who files it, for the audit trail', 'cli')
    .action(async (value: string, mail: string, options: { config?: string; by: string }) => {
      const caseNumber = parseCaseArgument(value);
      const config = loadConfig(options.config);
      const { journal, blobs } = openJournal(config);
      try {
        const messageId = findMail(journal, mail);
        const elsewhere = journal
          .messageDocuments(messageId)
          .find((d) => d.caseNumber !== null && d.caseNumber !== caseNumber);
        if (elsewhere)
          throw new UsageError(
            `mail ${messageId} is already filed on case ${elsewhere.caseNumber}; nothing was changed`,
          );
        const documents = journal.attachToCase(
          messageId,
          caseNumber,
          new Date().toISOString(),
          options.by,
        );
        const first = documents[0];
        process.stdout.write(
          `filed on ${caseNumber} as akt ${first?.akt ?? '?'} (${documents.length} documents)\n`,
        );
        await rebuildCaseBundle(
          { journal, blobs, bundleDir: join(config.dataDir, 'bundles') },
          caseNumber,
          { inWorker: false },
        );
      } finally {
        journal.close();
      }
    });
}
