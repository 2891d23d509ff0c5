import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { parse as parseYamlText } from 'yaml';
import { loadConfig, loadRouting, type Config } from '../config/load.js';
import { openJournal } from '../daemon/main.js';
import { UsageError } from '../errors.js';
import { readCasesCsv } from '../journal/case-import.js';
import type { Journal } from '../journal/journal.js';
import { auditCase, auditMessage, auditPerson, formatAudit } from '../ops/audit.js';
import { indexKey, updateCprIndex } from '../ops/cpr-index.js';
import { allowedRecipient } from '../ops/notices/recipients.js';
import { gatherReport } from '../ops/report/data.js';
import { renderReport } from '../ops/report/page.js';
import { runRetention } from '../ops/retention.js';
import { formatShadowReport, shadowReport } from '../ops/shadow-report.js';
import { formatSimulation, simulate } from '../ops/simulate.js';
import { parseSince } from '../ops/since.js';
import { writeFileAtomic } from '../journal/blob-store.js';
import { compileRouting, type CompiledRouting } from '../pipeline/routing.js';
import { parseCaseArgument } from './journal-commands.js';
import { loggerFor } from './logging.js';
import { loadModelOrRulesOnly } from './model.js';

function output(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Runs a command body with the journal of the configured data directory open. */
async function withJournal<T>(
  configFile: string | undefined,
  body: (
    config: Config,
    journal: Journal,
    blobs: ReturnType<typeof openJournal>['blobs'],
  ) => Promise<T> | T,
): Promise<T> {
  const config = loadConfig(configFile);
  const { journal, blobs } = openJournal(config);
  try {
    return await body(config, journal, blobs);
  } finally {
    journal.close();
  }
}

/** A routing file, or a main configuration whose routing file is taken. */
function loadProposedRouting(file: string): { routing: CompiledRouting; modelDir: string | null } {
  const path = resolve(file);
  let doc: unknown;
  try {
    doc = parseYamlText(readFileSync(path, 'utf8'));
  } catch {
    doc = null; // loadRouting / loadConfig give the proper message below.
  }
  if (doc !== null && typeof doc === 'object' && 'areas' in doc) {
    const { routing, caseNumberPatterns } = loadRouting(path);
    return { routing: compileRouting(routing, caseNumberPatterns), modelDir: null };
  }
  const config = loadConfig(path);
  return {
    routing: compileRouting(config.routing, config.caseNumberPatterns),
    modelDir: config.modelDir,
  };
}

const actor = (): string => `user:${userInfo().username}`;

function registerCaseAssign(program: Command): void {
  const caseCommand =
    program.commands.find((command) => command.name() === 'case') ??
    program.command('case').description('one case: its documents and mails');
  caseCommand
    .command('assign')
    .description(
      'assign a caseworker (who gets notices of new post): CASE EMAIL, or --csv FILE with caseNumber,caseworker',
    )
    .argument('[case]', 'case number, e.g. 24-123456')
    .argument('[email]', "the caseworker's address (must be covered by forwardAllowlist)")
    .option(
      '--csv <file>',
      'many at once: a CSV with the header caseNumber,caseworker (area optional)',
    )
    .option('--config <file>', 'configuration file')
    .action(
      async (
        value: string | undefined,
        email: string | undefined,
        _options: unknown,
        command: Command,
      ) => {
        // `case` has its own --config, which commander gives to the parent: read both.
        const options = command.optsWithGlobals<{ csv?: string; config?: string }>();
        await withJournal(options.config, (config, journal) => {
          const rows = options.csv
            ? readCasesCsv(options.csv, new Set(config.routing.areas.map((a) => a.id)))
            : value && email
              ? [{ number: parseCaseArgument(value), area: null, caseworker: email.trim() }]
              : null;
          if (!rows)
            throw new UsageError(
              'write postrobot case assign 24-123456 name@ast.dk, or --csv FILE',
            );
          for (const row of rows) {
            if (!allowedRecipient(row.caseworker, config.routing.forwardAllowlist))
              throw new UsageError(
                `case ${row.number}: "${row.caseworker ?? ''}" is not an address covered by forwardAllowlist (${config.routing.forwardAllowlist.join(', ')})`,
              );
          }
          const at = new Date().toISOString();
          for (const row of rows) {
            journal.upsertCase(
              { number: row.number, area: row.area, caseworker: row.caseworker, source: 'assign' },
              at,
            );
            journal.addEvent({
              kind: 'case-assigned',
              actor: actor(),
              caseNumber: row.number,
              at,
              detail: { caseworker: row.caseworker },
            });
          }
          process.stdout.write(`assigned ${rows.length} ${rows.length === 1 ? 'case' : 'cases'}\n`);
        });
      },
    );
}

export function registerOpsCommands(program: Command): void {
  program
    .command('simulate')
    .description(
      'replay the stored mail of the last days through a new configuration and count the decisions that change',
    )
    .requiredOption('--config <file>', 'the NEW routing file (or a main configuration naming one)')
    .option(
      '--current <file>',
      'the running configuration (default: POSTROBOT_CONFIG or config/postrobot.yaml)',
    )
    .option('--since <period>', 'how far back: 7d, 24h, 2w or a date', '7d')
    .option('--json', 'machine-readable output')
    .action(
      async (options: { config: string; current?: string; since: string; json?: boolean }) => {
        const since = parseSince(options.since);
        const proposed = loadProposedRouting(options.config);
        await withJournal(options.current, async (config, journal, blobs) => {
          const log = loggerFor(config, true).child({ component: 'model' });
          const model = await loadModelOrRulesOnly(config.modelDir, log);
          const proposedModel =
            proposed.modelDir && proposed.modelDir !== config.modelDir
              ? await loadModelOrRulesOnly(proposed.modelDir, log)
              : model;
          const report = await simulate({
            journal,
            blobs,
            since,
            current: { routing: compileRouting(config.routing, config.caseNumberPatterns), model },
            proposed: { routing: proposed.routing, model: proposedModel },
            limits: config.main.limits,
          });
          output(options.json, report, () => formatSimulation(report));
        });
      },
    );

  program
    .command('report')
    .description(
      'one self-contained HTML page: mail per day and area, auto-route rate, manual queue, precision, slowest stages',
    )
    .requiredOption('--out <file>', 'where to write the page, e.g. report.html')
    .option('--since <period>', 'how far back: 30d, 2w or a date', '30d')
    .option('--config <file>', 'configuration file')
    .action(async (options: { out: string; since: string; config?: string }) => {
      const since = parseSince(options.since);
      await withJournal(options.config, (config, journal) => {
        const data = gatherReport(journal, since, new Date(), config.main.report.targetRouteRate);
        const names = Object.fromEntries(config.routing.areas.map((area) => [area.id, area.name]));
        writeFileAtomic(resolve(options.out), Buffer.from(renderReport(data, names), 'utf8'));
        process.stdout.write(`report of ${data.totals.mails} mails written to ${options.out}\n`);
      });
    });

  program
    .command('audit')
    .description(
      'the audit trail of a case, a mail, or every mail that mentions a person (CPR number; "-" reads it from stdin)',
    )
    .option('--case <case>', 'case number, e.g. 24-123456')
    .option('--message <id>', 'the ledger id of a mail')
    .option(
      '--person <cpr>',
      'a CPR number; it is never written to a log, and "-" reads it from stdin',
    )
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        case?: string;
        message?: string;
        person?: string;
        config?: string;
        json?: boolean;
      }) => {
        const given = [options.case, options.message, options.person].filter(
          (v) => v !== undefined,
        ).length;
        if (given !== 1)
          throw new UsageError('name exactly one of --case CASE, --message ID, --person CPR');
        await withJournal(options.config, async (config, journal, blobs) => {
          let result;
          if (options.case !== undefined)
            result = auditCase(journal, parseCaseArgument(options.case));
          else if (options.message !== undefined) {
            const id = Number(options.message);
            if (!Number.isInteger(id) || id <= 0)
              throw new UsageError(`"${options.message}" is not a mail id; see postrobot status`);
            result = auditMessage(journal, id);
          } else {
            const cpr =
              options.person === '-' ? readFileSync(0, 'utf8').trim() : (options.person ?? '');
            const key = indexKey(config.dataDir);
            const log = loggerFor(config, true).child({ component: 'audit' });
            // Mail taken in since the daemon last indexed is searched too.
            await updateCprIndex({
              journal,
              blobs,
              key,
              limits: config.main.limits,
              caseNumberPatterns: config.caseNumberPatterns,
              log,
            });
            result = auditPerson(journal, key, cpr);
          }
          output(options.json, result, () => formatAudit(result));
        });
      },
    );

  registerCaseAssign(program);

  program
    .command('retention')
    .description(
      'delete what has outlived the periods in retention (also done daily by the daemon)',
    )
    .command('run')
    .description('run the retention job now; prints the counts')
    .option('--config <file>', 'configuration file')
    .action(async (options: { config?: string }) => {
      await withJournal(options.config, (config, journal, blobs) => {
        const counts = runRetention(
          journal,
          blobs,
          config.main.retention,
          new Date(),
          loggerFor(config, true).child({ component: 'retention' }),
        );
        output(false, counts, () =>
          Object.entries(counts)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        );
      });
    });

  program
    .command('shadow-report')
    .description('what shadow mode would have done: moves, forwards, and agreement with people')
    .option('--since <period>', 'how far back: 7d, 2w or a date', '30d')
    .option('--list', 'list every decision')
    .option('--config <file>', 'configuration file')
    .option('--json', 'machine-readable output')
    .action(async (options: { since: string; list?: boolean; config?: string; json?: boolean }) => {
      const since = parseSince(options.since);
      await withJournal(options.config, (config, journal) => {
        const report = shadowReport(journal, config.routing, since);
        output(options.json, report, () => formatShadowReport(report, options.list === true));
      });
    });
}
