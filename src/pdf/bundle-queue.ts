import { rebuildCaseBundle, type CaseFilesDeps } from './case-files.js';

export interface BundleQueueOptions {
  /**
   * How long the queue waits after the last enqueue before it builds (default 2 s), so that
   * a burst of mail (a backlog after downtime) is routed first and each case it touched is
   * built once afterwards, instead of competing with the mail loop for the CPU.
   */
  quietMs?: number;
}

/**
 * Rebuilds case PDFs one at a time, after the mail that changed the case is committed.
 * A case asked for again while it waits is built once; a case changed while it is being
 * built is built again after; a failure is logged and the next case goes on. `close()`
 * waits for the build in progress and drops what still waits (the next change to those
 * cases, or `postrobot bundle`, builds them).
 */
export class BundleQueue {
  private readonly waiting = new Set<string>();
  private running: Promise<void> | null = null;
  private closing = false;
  private lastEnqueue = 0;
  private readonly quietMs: number;
  private quietTimer: NodeJS.Timeout | null = null;
  private wakeQuiet: (() => void) | null = null;

  constructor(
    private readonly deps: CaseFilesDeps,
    options: BundleQueueOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 2000;
  }

  enqueue(caseNumber: string): void {
    if (this.closing) return;
    this.waiting.add(caseNumber);
    this.lastEnqueue = Date.now();
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Waits until no case was enqueued for quietMs; close() cuts the wait short. */
  private async quiet(): Promise<void> {
    for (;;) {
      const left = this.lastEnqueue + this.quietMs - Date.now();
      if (left <= 0 || this.closing) return;
      await new Promise<void>((resolve) => {
        this.wakeQuiet = resolve;
        this.quietTimer = setTimeout(resolve, left);
      });
      this.quietTimer = null;
      this.wakeQuiet = null;
    }
  }

  /** Resolves when nothing waits and nothing runs (tests, `--once`). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.wakeQuiet?.();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (;;) {
      await this.quiet();
      const next = this.waiting.values().next();
      if (next.done) return;
      const caseNumber = next.value;
      this.waiting.delete(caseNumber);
      try {
        const result = await rebuildCaseBundle(this.deps, caseNumber);
        this.deps.log?.info(
          { event: 'bundle-built', caseNumber, pages: result.pages, documents: result.documents },
          'case PDF rebuilt',
        );
      } catch (error) {
        this.deps.log?.error(
          { event: 'bundle-failed', caseNumber, err: error },
          'case PDF could not be rebuilt',
        );
      }
    }
  }
}
