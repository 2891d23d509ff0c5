import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { Runtime } from '../daemon/main.js';
import type { ActionHandlers } from '../daemon/ports.js';
import { describeError } from '../errors.js';
import { indexKey, updateCprIndex } from './cpr-index.js';
import { OpsMetrics } from './metrics/ops-metrics.js';
import { startMetricsServer } from './metrics/server.js';
import { sendDueDigests } from './notices/digest.js';
import { createMailer, type Mailer } from './notices/mailer.js';
import { createNotifyHandler, queueDueNotices } from './notices/notices.js';
import { runRetention } from './retention.js';

const RETENTION_DAY_CURSOR = 'retention-day';
const WATCH_DEBOUNCE_MS = 300;

/** The mailer for notices and digests, or null when there is no SMTP relay or notices are off. */
export function createOpsMailer(config: Config): Mailer | null {
  if (!config.smtp || !config.main.notices.enabled) return null;
  return createMailer(config.smtp, config.main.smtp.from);
}

export function bundleLinkFor(config: Config, caseNumber: string): string {
  return config.main.notices.bundleLink
    .replaceAll('{dataDir}', config.dataDir)
    .replaceAll('{case}', caseNumber);
}

/** The outbox handler for caseworker notices; the runtime is read when a notice is sent. */
export function opsHandlers(
  config: Config,
  mailer: Mailer | null,
  runtime: () => Runtime,
  onSent?: () => void,
): ActionHandlers {
  if (!mailer) return {};
  return {
    notify: (action, message) =>
      createNotifyHandler({
        journal: runtime().journal,
        mailer,
        routing: () => runtime().state.routing.config,
        bundleLink: (caseNumber) => bundleLinkFor(config, caseNumber),
        attachBundleMaxBytes: config.main.notices.attachBundleMaxBytes,
        ...(onSent ? { onSent } : {}),
      })(action, message),
  };
}

function localDay(now: Date): number {
  return now.getFullYear() * 10_000 + (now.getMonth() + 1) * 100 + now.getDate();
}

export interface OpsHandle {
  metrics: OpsMetrics;
  /** The metrics port (null when the endpoint is off). */
  port: number | null;
  /** Called after each pass over the inbox: the source answered. */
  onPass(): void;
  /** Records the result of a routing reload (SIGHUP or file watch). */
  recordReload(ok: boolean): void;
  /** One round of the periodic work (notices, digest, CPR index, retention); the timer calls it too. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts what runs beside the daemon: the metrics endpoint, the routing-file watch, and a
 * timer for notices, the digest, the CPR index and the daily retention job.
 */
export async function startOps(
  runtime: Runtime,
  log: Logger,
  options: {
    mailer: Mailer | null;
    metrics: OpsMetrics;
    reloadRouting: () => boolean;
    now?: () => Date;
  },
): Promise<OpsHandle> {
  const { config, journal, blobs } = runtime;
  const now = options.now ?? (() => new Date());
  const opsLog = log.child({ component: 'ops' });
  const metrics = options.metrics;
  metrics.shadow.set({}, runtime.state.shadow ? 1 : 0);
  const settings = config.main;
  const server = settings.metrics.enabled
    ? await startMetricsServer(metrics, settings.metrics, opsLog)
    : null;
  const key = indexKey(config.dataDir);
  const recordReload = (ok: boolean): void =>
    metrics.reloads.inc({ result: ok ? 'ok' : 'rejected' });
  const watcher = watchRouting(
    config.routingFile,
    () => recordReload(options.reloadRouting()),
    opsLog,
  );

  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const at = now();
      const send = options.mailer !== null && !runtime.state.shadow;
      queueDueNotices(
        journal,
        runtime.state.routing.config,
        { batchSeconds: settings.notices.batchSeconds, send },
        at,
        opsLog,
      );
      const digests = await sendDueDigests(
        journal,
        runtime.state.routing.config,
        options.mailer,
        { hour: settings.notices.digestHour, now: at, send },
        opsLog,
      );
      metrics.notices.inc({ kind: 'digest' }, digests);
      await updateCprIndex(
        {
          journal,
          blobs,
          key,
          limits: settings.limits,
          caseNumberPatterns: runtime.state.routing.caseNumberPatterns,
          log: opsLog,
        },
        now,
      );
      if (
        at.getHours() >= settings.retention.hour &&
        localDay(at) > journal.cursor(RETENTION_DAY_CURSOR)
      ) {
        runRetention(journal, blobs, settings.retention, at, opsLog);
        journal.setCursor(RETENTION_DAY_CURSOR, localDay(at), at.toISOString());
      }
    } catch (error) {
      opsLog.error(
        { event: 'ops-tick-failed', err: describeError(error) },
        'periodic work failed; trying again',
      );
    } finally {
      busy = false;
    }
  };
  const intervalMs = Math.max(200, Math.min(15_000, settings.source.pollIntervalSeconds * 1000));
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  let stopped: Promise<void> | null = null;
  return {
    metrics,
    port: server?.port ?? null,
    onPass: () => metrics.markSourceContact(now()),
    recordReload,
    tick,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        watcher?.close();
        await server?.close();
        options.mailer?.close();
      })();
      return stopped;
    },
  };
}

function fileHash(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Reloads the routing file when it changes on disk. The folder is watched, not the file:
 * editors save by writing a new file and renaming it over the old one.
 */
function watchRouting(file: string, reload: () => void, log: Logger): FSWatcher | null {
  let last = fileHash(file);
  let timer: NodeJS.Timeout | null = null;
  const name = basename(file);
  try {
    const watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const hash = fileHash(join(dirname(file), name));
        if (hash === null || hash === last) return;
        last = hash;
        log.info({ event: 'routing-changed', file }, 'the routing file changed on disk; reloading');
        reload();
      }, WATCH_DEBOUNCE_MS);
    });
    watcher.unref();
    return watcher;
  } catch (error) {
    log.warn(
      { event: 'routing-watch-failed', file, err: describeError(error) },
      'cannot watch the routing file; SIGHUP still reloads it',
    );
    return null;
  }
}
