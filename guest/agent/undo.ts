/**
 * The undo log of one generation: each step that changes the engine first registers how to
 * put back what it may change (registered before the step runs, so a step that fails half way
 * is undone too). On a failure the steps run in reverse; an undo that fails is reported, the
 * others still run.
 */
export interface UndoStep { what: string; run: () => Promise<void> }

export class UndoLog {
  private readonly steps: UndoStep[] = [];

  push(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  get size(): number { return this.steps.length; }

  /** Runs every step in reverse; answers what was undone and what could not be. */
  async rollback(): Promise<{ undone: string[]; failed: string[] }> {
    const undone: string[] = [];
    const failed: string[] = [];
    for (const step of [...this.steps].reverse()) {
      try {
        await step.run();
        undone.push(step.what);
      } catch (e) {
        failed.push(`${step.what} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    this.steps.length = 0;
    return { undone, failed };
  }
}

/** The error of a generation: what failed, then what was rolled back (or could not be). */
export function generationError(cause: unknown, r: { undone: string[]; failed: string[] }): Error {
  const msg = cause instanceof Error ? cause.message : String(cause);
  const parts = [msg];
  if (r.undone.length) parts.push(`rolled back: ${r.undone.join(', ')}`);
  if (r.failed.length) parts.push(`NOT rolled back: ${r.failed.join(', ')}`);
  return new Error(parts.join('; '));
}
