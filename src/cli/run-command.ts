import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, loadRouting } from '../config/load.js';
import { packageRoot } from '../config/paths.js';
import type { PassSummary } from '../daemon/daemon.js';
import { seedDemo } from '../daemon/demo.js';
import { createRuntime, type Runtime } from '../daemon/main.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { OpsMetrics } from '../ops/metrics/ops-metrics.js';
import { createOpsMailer, opsHandlers, startOps, type OpsHandle } from '../ops/wiring.js';
import { compileRouting } from '../pipeline/routing.js';
import { loggerFor } from './logging.js';
import { loadModelOrRulesOnly } from './model.js';
import { printDemoSummary } from './summary.js';

/** How long a graceful stop may take before the exit is forced. */
const STOP_TIMEOUT_MS = 30_000;

function reloadRouting(runtime: Runtime, log: Logger): boolean {
  try {
    const { routing, caseNumberPatterns } = loadRouting(runtime.config.routingFile);
    runtime.state.routing = compileRouting(routing, caseNumberPatterns);
    log.info(
      {
        event: 'routing-reloaded',
        file: runtime.config.routingFile,
        areas: routing.areas.length,
        rules: routing.rules.length,
      },
      'routing reloaded',
    );
    return true;
  } catch (error) {
    log.error(
      { event: 'routing-rejected', file: runtime.config.routingFile, err: describeError(error) },
      'the changed routing file was rejected; the running rules stay',
    );
    return false;
  }
}

function handleSignals(runtime: Runtime, log: Logger, ops: OpsHandle): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      log.warn({ event: 'forced-exit', signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ event: 'stopping', signal }, 'stopping: finishing the mail in flight');
    const timer = setTimeout(() => {
      log.error({ event: 'forced-exit', reason: 'timeout' }, 'stop took too long: exiting now');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timer.unref();
    void Promise.all([ops.stop(), runtime.close()]).then(() => {
      log.info({ event: 'stopped' }, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => ops.recordReload(reloadRouting(runtime, log)));
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the daemon: read the inbox, route, file and bundle until stopped')
    .option(
      '--config <file>',
      'configuration file (default: POSTROBOT_CONFIG or config/postrobot.yaml)',
    )
    .option('--once', 'one pass over the inbox, then exit')
    .option('--shadow', 'decide and record everything, move and send nothing')
    .option(
      '--demo',
      'seed an empty embedded inbox with the bundled example mails and print a summary',
    )
    .action(
      async (options: { config?: string; once?: boolean; shadow?: boolean; demo?: boolean }) => {
        const config = loadConfig(options.config);
        const log = loggerFor(config);
        const model = await loadModelOrRulesOnly(
          config.modelDir,
          log.child({ component: 'model' }),
        );
        const mailer = createOpsMailer(config);
        let ops: OpsHandle | null = null;
        const runtime: Runtime = createRuntime(config, log, {
          model,
          ...(options.shadow ? { shadow: true } : {}),
          handlers: opsHandlers(
            config,
            mailer,
            () => runtime,
            () => ops?.metrics.notices.inc({ kind: 'notice' }),
          ),
          onOcrPages: (pages) => ops?.metrics.ocrPages.inc({}, pages),
        });
        const areaIds = new Set(config.routing.areas.map((area) => area.id));
        if (options.demo && config.main.source.kind === 'maildir') {
          const seeded = seedDemo(
            join(packageRoot(), 'fixtures'),
            config.inboxDir,
            runtime.journal,
            areaIds,
          );
          if (seeded > 0)
            log.info(
              { event: 'demo-seeded', mails: seeded, inbox: config.inboxDir },
              'demo inbox seeded with the example mails',
            );
        }
        log.info(
          {
            event: 'started',
            source: runtime.source.description,
            dataDir: config.dataDir,
            shadow: runtime.state.shadow,
            model: model !== null,
          },
          'postrobot started',
        );
        if (options.once) {
          try {
            await runtime.daemon.resume();
            const summary = await runtime.daemon.pass();
            if (options.demo) printDemoSummary(runtime, summary);
            logPass(log, summary);
          } finally {
            await runtime.close();
          }
          return;
        }
        ops = await startOps(runtime, log, {
          mailer,
          metrics: new OpsMetrics(runtime.journal),
          reloadRouting: () => reloadRouting(runtime, log),
        });
        handleSignals(runtime, log, ops);
        await runtime.daemon.run((summary, index) => {
          ops?.onPass();
          if (index === 0 && options.demo) printDemoSummary(runtime, summary);
          if (summary.seen > 0 || index === 0) logPass(log, summary);
        });
      },
    );
}

function logPass(log: Logger, summary: PassSummary): void {
  log.info(
    { event: 'pass', seen: summary.seen, ...summary.outcomes, actionsDone: summary.actionsDone },
    'inbox pass done',
  );
}
