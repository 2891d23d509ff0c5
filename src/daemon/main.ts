import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { BlobStore } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import { SqliteJournal } from '../journal/sqlite-journal.js';
import type { ModelLike } from '../pipeline/classify.js';
import { compileRouting, type CompiledRouting } from '../pipeline/routing.js';
import { createAdapters } from './adapters.js';
import { createAttachmentTextService } from '../pdf/ocr/index.js';
import { describeError } from '../errors.js';
import { Daemon } from './daemon.js';
import { InstanceLock } from './lock.js';
import { OutboxRunner } from './outbox.js';
import type { ActionHandlers, MailSource } from './ports.js';
import { BundleQueue } from '../pdf/bundle-queue.js';
import { MailProcessor } from './processor.js';

/** Everything the daemon is made of, built once here and passed in. */
export interface Runtime {
  config: Config;
  journal: Journal;
  blobs: BlobStore;
  source: MailSource;
  processor: MailProcessor;
  outbox: OutboxRunner;
  daemon: Daemon;
  lock: InstanceLock;
  state: { routing: CompiledRouting; model: ModelLike | null; shadow: boolean };
  close(): Promise<void>;
}

export function dataPaths(dataDir: string): {
  journal: string;
  store: string;
  lock: string;
  pid: string;
} {
  return {
    journal: join(dataDir, 'journal.sqlite'),
    store: join(dataDir, 'store'),
    lock: join(dataDir, 'postrobot.lock.db'),
    pid: join(dataDir, 'postrobot.pid'),
  };
}

/** Opens the journal and the mail store of a data directory (for the read-only commands too). */
export function openJournal(config: Config): { journal: Journal; blobs: BlobStore } {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const paths = dataPaths(config.dataDir);
  return { journal: new SqliteJournal(paths.journal), blobs: new BlobStore(paths.store) };
}

export interface RuntimeOptions {
  shadow?: boolean;
  model?: ModelLike | null;
  /** Extra or replacement action handlers (IMAP move, SMTP forward). */
  handlers?: ActionHandlers;
  source?: MailSource;
  /** Told how many pages OCR read for a mail (for the metrics). */
  onOcrPages?: (pages: number) => void;
}

/** Builds the runtime: lock first, then journal, store, source, actions, processor, loop. */
export function createRuntime(config: Config, log: Logger, options: RuntimeOptions = {}): Runtime {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const paths = dataPaths(config.dataDir);
  const lock = new InstanceLock(paths.lock, paths.pid, `the data directory ${config.dataDir}`);
  lock.acquire();
  try {
    const { journal, blobs } = openJournal(config);
    const state = {
      routing: compileRouting(config.routing, config.caseNumberPatterns),
      model: options.model ?? null,
      shadow: options.shadow ?? config.main.shadow,
    };
    const adapters = createAdapters(config, journal, blobs, log, () => state.routing);
    const source = options.source ?? adapters.source;
    const handlers: ActionHandlers = { ...adapters.handlers, ...options.handlers };
    // Attachment text for the decision, and OCR text layers on filed scans (src/pdf/ocr).
    const attachments = createAttachmentTextService(
      config.main.ocr,
      log.child({ component: 'ocr' }),
      options.onOcrPages,
    );
    const bundles = new BundleQueue({
      journal,
      blobs,
      bundleDir: join(config.dataDir, 'bundles'),
      log: log.child({ component: 'bundle' }),
      textLayer: attachments.textLayer,
    });
    const processor = new MailProcessor({
      journal,
      blobs,
      limits: {
        maxMessageBytes: config.main.limits.maxMessageBytes,
        maxAttachments: config.main.limits.maxAttachments,
      },
      routing: () => state.routing,
      model: () => state.model,
      shadow: () => state.shadow,
      log: log.child({ component: 'pipeline' }),
      onFiled: (caseNumber) => bundles.enqueue(caseNumber),
      attachmentText: attachments.text,
      canForward: () => handlers.forward !== undefined,
    });
    const outbox = new OutboxRunner(
      journal,
      handlers,
      {
        ...config.main.outbox,
        // A forward refused for good (5xx): the mail goes to quarantine with the reply.
        onGiveUp: (action, error) => {
          if (action.kind !== 'forward') return;
          journal.quarantineMessage(
            action.messageId,
            state.routing.config.folders.quarantine,
            { code: 'ForwardRefused', message: describeError(error) },
            new Date().toISOString(),
          );
        },
      },
      log.child({ component: 'outbox' }),
    );
    const daemon = new Daemon(
      source,
      processor,
      outbox,
      journal,
      { pollIntervalMs: config.main.source.pollIntervalSeconds * 1000 },
      log.child({ component: 'daemon' }),
    );
    let closed: Promise<void> | null = null;
    return {
      config,
      journal,
      blobs,
      source,
      processor,
      outbox,
      daemon,
      lock,
      state,
      close: () => {
        closed ??= (async () => {
          await daemon.stop();
          await bundles.close();
          await attachments.close();
          journal.close();
          lock.release();
        })();
        return closed;
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
