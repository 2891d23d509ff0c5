import { rebuildCaseBundle, type CaseFilesDeps } from './case-files.js';

/**
 * Rebuilds case PDFs one at a time, after the mail that changed the case is committed.
 * A case asked for again while it waits is built once; a failure is logged and the next
 * case goes on. `close()` waits for the build in progress and drops what still waits
 * (the next change to those cases, or `postrobot bundle`, builds them).
 */
export class BundleQueue {
  private readonly waiting = new Set<string>();
  private running: Promise<void> | null = null;
  private closing = false;

  constructor(private readonly deps: CaseFilesDeps) {}

  enqueue(caseNumber: string): void {
    if (this.closing) return;
    this.waiting.add(caseNumber);
    // Start on the next turn, so that all the cases one mail loop pass touched are
    // collected first; a case changed while it is being built is built again after.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves when nothing waits and nothing runs (tests, `--once`). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.waiting.values().next();
      if (next.done) return;
      const caseNumber = next.value;
      this.waiting.delete(caseNumber);
      try {
        const result = await rebuildCaseBundle(this.deps, caseNumber);
        this.deps.log?.info({ event: 'bundle-built', caseNumber, pages: result.pages, documents: result.documents }, 'case PDF rebuilt');
      } catch (error) {
        this.deps.log?.error({ event: 'bundle-failed', caseNumber, err: error }, 'case PDF could not be rebuilt');
      }
    }
  }
}
