#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerClassifierCommands } from './cli/classifier-commands.js';
import { registerClassifyCommand } from './cli/classify-command.js';
import { registerConfigCommands } from './cli/config-command.js';
import { registerJournalCommands } from './cli/journal-commands.js';
import { registerOpsCommands } from './cli/ops-commands.js';
import { registerPdfCommands } from './cli/pdf-commands.js';
import { registerRunCommand } from './cli/run-command.js';
import { ConfigError, describeError, UsageError } from './errors.js';
import { scrubCpr } from './log/cpr.js';

/** Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error. */
const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('postrobot')
    .description(
      'Mail triage and case documents for Ankestyrelsen: reads the inbox, routes, files and bundles.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  registerRunCommand(program);
  registerClassifyCommand(program);
  registerClassifierCommands(program);
  registerConfigCommands(program);
  registerJournalCommands(program);
  registerOpsCommands(program);
  registerPdfCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    const usage = error instanceof ConfigError || error instanceof UsageError;
    process.stderr.write(`postrobot: ${scrubCpr(describeError(error))}\n`);
    process.exitCode = usage ? EXIT_USAGE : EXIT_RUNTIME;
  }
}

await main(process.argv);
