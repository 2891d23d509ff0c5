/**
 * train, eval and retrain: the admin's commands for the model. Exit codes as everywhere:
 * 0 ok, 1 runtime failure, 2 usage or configuration error (thrown as UsageError/ConfigError
 * and mapped in cli.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { evaluate, type EvaluationReport } from '../classifier/evaluate.js';
import { loadTrainingDir, toBody, trainModel, writeModelFile } from '../classifier/index.js';
import { retrain, type ConfirmedExample } from '../classifier/retrain.js';
import { curveSvg } from '../classifier/svg.js';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../classifier/train.js';
import { compileEvidence } from '../pipeline/rules.js';
import { coverageAndPrecision } from '../classifier/thresholds.js';

/** A one-line progress bar on a terminal; silent when stderr is not a TTY (logs, CI). */
function progress(label: string): {
  update(step: string, done: number, total: number): void;
  end(): void;
} {
  const tty = process.stderr.isTTY === true;
  return {
    update(step, done, total) {
      if (!tty) return;
      const width = 30;
      const filled = Math.round((width * done) / Math.max(total, 1));
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${step} ${done}/${total}   `,
      );
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function requireDir(dir: string | undefined, option: string): string {
  if (!dir)
    throw new UsageError(
      `${option} DIR is required: a folder with one sub-folder of .eml files per area id`,
    );
  const full = resolve(dir);
  if (!existsSync(full)) throw new UsageError(`${option} ${dir}: no such folder`);
  return full;
}

interface ThresholdFlags {
  config?: string;
  driftAllowance?: string;
  shrinkage?: string;
}

function numberFlag(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${name} takes a number from ${min} to ${max}`);
  return n;
}

/** Target precision and evidence from the routing configuration; threshold knobs from the flags. */
function trainOptionsFrom(flags: ThresholdFlags): Partial<TrainOptions> {
  const config = loadConfig(flags.config);
  const drift = numberFlag(flags.driftAllowance, '--drift-allowance', 0.05, 1);
  // 'pooled' (the default): one threshold for every area, certified on all held-out mail.
  const shrinkage =
    flags.shrinkage === 'pooled'
      ? Number.POSITIVE_INFINITY
      : numberFlag(flags.shrinkage, '--shrinkage', 0, 100_000);
  return {
    targetPrecision: config.routing.targetPrecision,
    evidence: compileEvidence(config.routing),
    ...(drift === undefined ? {} : { driftAllowance: drift }),
    ...(shrinkage === undefined ? {} : { shrinkage }),
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

export function formatReport(report: EvaluationReport): string {
  const lines: string[] = [];
  lines.push(
    `${report.examples} mails, ${report.folds}-fold nested cross-validation${report.evidence ? ', model + evidence' : ''}`,
  );
  lines.push(`accuracy (full coverage): ${pct(report.accuracy)}`);
  lines.push(
    `at target precision ${pct(report.targetPrecision)}: coverage ${pct(report.coverage)} (${report.routed}/${report.routable} routable mails routed), precision ${pct(report.precision)}`,
  );
  lines.push('');
  lines.push(
    `${'area'.padEnd(20)} ${'mails'.padStart(6)} ${'precision'.padStart(10)} ${'recall'.padStart(8)} ${'routed'.padStart(8)}`,
  );
  for (const a of report.perArea) {
    lines.push(
      `${a.area.padEnd(20)} ${String(a.support).padStart(6)} ${pct(a.precision).padStart(10)} ${pct(a.recall).padStart(8)} ${pct(a.coverage).padStart(8)}`,
    );
  }
  lines.push('');
  lines.push('confusion (rows: true area, columns: predicted, in the order above)');
  report.confusion.forEach((row, k) =>
    lines.push(
      `${(report.labels[k] ?? '').padEnd(20)} ${row.map((n) => String(n).padStart(4)).join('')}`,
    ),
  );
  return lines.join('\n');
}

async function trainCommand(opts: { data?: string; out?: string } & ThresholdFlags): Promise<void> {
  const data = requireDir(opts.data, '--data');
  const out = resolve(opts.out ?? 'models/default');
  const options = trainOptionsFrom(opts);
  const bar = progress('train');
  const { examples, skipped } = await loadTrainingDir(data, (done, total) =>
    bar.update('reading', done, total),
  );
  const started = performance.now();
  const trained = trainModel(examples, {
    ...options,
    onProgress: (step, done, total) => bar.update(step, done, total),
  });
  bar.end();
  const body = toBody(trained);
  const file = writeModelFile(out, body);
  const point = trained.withEvidence ?? trained.alone;
  const held = trained.heldOut.withEvidence ?? trained.heldOut.alone;
  const manual = trained.labels.indexOf('manual');
  const fit = coverageAndPrecision(held, point.thresholds, manual >= 0 ? [manual] : []);
  process.stdout.write(
    [
      `model ${body.version} written to ${file}`,
      `${examples.length} mails in ${trained.labels.length} labels (${trained.labels.join(', ')}), ${((performance.now() - started) / 1000).toFixed(1)} s`,
      `held-out at the chosen thresholds: coverage ${pct(fit.coverage)}, precision ${pct(fit.precision)} (run eval for unbiased figures)`,
      `thresholds: ${trained.labels.map((l, k) => `${l} ${point.thresholds[k]!.toFixed(3)}`).join(', ')}`,
      ...skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ].join('\n') + '\n',
  );
}

async function evalCommand(
  opts: {
    data?: string;
    folds: string;
    svg?: string;
    json?: boolean;
    evidence: boolean;
  } & ThresholdFlags,
): Promise<void> {
  const data = requireDir(opts.data, '--data');
  const folds = Number(opts.folds);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20)
    throw new UsageError('--folds takes a whole number from 2 to 20');
  const options = { ...trainOptionsFrom(opts), ...(opts.evidence ? {} : { evidence: null }) };
  const bar = progress('eval');
  const { examples } = await loadTrainingDir(data, (done, total) =>
    bar.update('reading', done, total),
  );
  const report = evaluate(examples, folds, options, (done, total) =>
    bar.update('fold', done, total),
  );
  bar.end();
  if (opts.svg) writeFileSync(opts.svg, curveSvg(report));
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(report)}\n`
      : `${formatReport(report)}\n${opts.svg ? `curve written to ${opts.svg}\n` : ''}`,
  );
}

/** Human-confirmed examples from the journal, when the data directory has one. */
async function confirmedFromJournal(
  configFile: string | undefined,
): Promise<{ examples: ConfirmedExample[]; note: string }> {
  const config = loadConfig(configFile);
  const { dataPaths } = await import('../daemon/main.js');
  const paths = dataPaths(config.dataDir);
  if (!existsSync(paths.journal))
    return { examples: [], note: `no journal at ${paths.journal}: original data only` };
  const { SqliteJournal } = await import('../journal/sqlite-journal.js');
  const { BlobStore } = await import('../journal/blob-store.js');
  const journal = new SqliteJournal(paths.journal);
  try {
    const blobs = new BlobStore(paths.store);
    const rows = journal.listTrainingExamples();
    const examples = rows
      .filter((row) => blobs.has(row.sha256, 'eml'))
      .map((row) => ({ raw: blobs.read(row.sha256, 'eml'), area: row.area }));
    return {
      examples,
      note: `${examples.length} human-confirmed mails from the journal (${rows.length - examples.length} without stored mail)`,
    };
  } finally {
    journal.close();
  }
}

async function retrainCommand(
  opts: { data?: string; out?: string; folds: string } & ThresholdFlags,
): Promise<void> {
  const data = requireDir(opts.data, '--data');
  const config = loadConfig(opts.config);
  const out = resolve(opts.out ?? config.modelDir);
  const options = trainOptionsFrom(opts);
  const { examples } = await loadTrainingDir(data);
  const confirmed = await confirmedFromJournal(opts.config);
  const result = await retrain(examples, confirmed.examples, out, {
    ...options,
    folds: Number(opts.folds),
  });
  process.stdout.write(
    [
      confirmed.note,
      `before: coverage ${pct(result.before.coverage)} at precision ${pct(result.before.precision)} (${result.before.examples} mails)`,
      `after:  coverage ${pct(result.after.coverage)} at precision ${pct(result.after.precision)} (${result.after.examples} mails)`,
      result.replaced
        ? `model replaced: ${result.version} in ${out}`
        : 'model kept: the retrained one would route less',
    ].join('\n') + '\n',
  );
}

/** The threshold knobs shared by train, eval and retrain. */
function driftAllowanceOption(): Option {
  return new Option(
    '--drift-allowance <share>',
    `share of the error budget held-out mail may use (default ${DEFAULT_TRAIN_OPTIONS.driftAllowance})`,
  );
}

function shrinkageOption(): Option {
  return new Option(
    '--shrinkage <mails|pooled>',
    "weight of the pooled precision in each area's threshold; 'pooled' (default): one for all areas",
  );
}

export function registerClassifierCommands(program: Command): void {
  program
    .command('train')
    .description(
      'train the model from sorted mail: DIR has one folder of .eml files per area id (and manual/)',
    )
    .option('--data <dir>', 'training data folder')
    .option('--out <dir>', 'where to write the model', 'models/default')
    .option('--config <file>', 'configuration file (target precision and evidence)')
    .addOption(driftAllowanceOption())
    .addOption(shrinkageOption())
    .action(trainCommand);
  program
    .command('eval')
    .description(
      'cross-validated report: accuracy, per-area precision and recall, coverage at the target precision',
    )
    .option('--data <dir>', 'training data folder')
    .option('--folds <k>', 'number of folds', '5')
    .option('--svg <file>', 'write the coverage/precision curve as SVG')
    .option('--json', 'print the report as JSON')
    .option('--config <file>', 'configuration file (target precision and evidence)')
    .option('--no-evidence', "leave routing.yaml's evidence out (to measure what it adds)")
    .addOption(driftAllowanceOption())
    .addOption(shrinkageOption())
    .action(evalCommand);
  program
    .command('retrain')
    .description(
      'train on the original data plus mail people confirmed; replace the model only if it routes no less',
    )
    .option('--data <dir>', 'the original training data folder')
    .option('--out <dir>', 'model folder (default: the configured one)')
    .option('--config <file>', 'configuration file')
    .option('--folds <k>', 'number of folds for the comparison', '5')
    .addOption(driftAllowanceOption())
    .addOption(shrinkageOption())
    .action(retrainCommand);
}
