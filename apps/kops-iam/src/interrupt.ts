import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The signal that stopped a run, thrown out of its work so that its clean-up runs. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * The watches of the runs in progress. One listener per signal serves them all, so that a
 * host program with many runs at once adds three listeners, not three per run (Node warns
 * from eleven on: a test process with a dozen in-process synths did).
 */
const active = new Set<InterruptWatch>();

function dispatch(signal: NodeJS.Signals): void {
  for (const watch of active) watch.caught(signal);
}

function watchStarts(watch: InterruptWatch): void {
  if (active.size === 0) for (const s of SIGNALS) process.on(s, dispatch);
  active.add(watch);
}

function watchEnds(watch: InterruptWatch): void {
  if (!active.delete(watch) || active.size > 0) return;
  for (const s of SIGNALS) process.off(s, dispatch);
}

/**
 * Catches SIGINT, SIGTERM and SIGHUP while a run has files to clean up. The work races
 * {@link interrupted}; once cleaned up, {@link end} ends the process with the same signal,
 * as if it had never been caught (a shell sees 130 for Ctrl-C).
 */
export class InterruptWatch {
  /** Rejects with {@link Interrupted} when a signal comes; never resolves. */
  readonly interrupted: Promise<never>;
  private signal: NodeJS.Signals | undefined;
  private reject: ((e: Interrupted) => void) | undefined;

  constructor() {
    this.interrupted = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.interrupted.catch(() => undefined); // awaited only while work runs
    watchStarts(this);
  }

  /** A signal came (the first one counts). */
  caught(signal: NodeJS.Signals): void {
    if (this.signal !== undefined) return;
    this.signal = signal;
    this.reject?.(new Interrupted(signal));
  }

  /** True once a signal came. */
  get stopped(): boolean {
    return this.signal !== undefined;
  }

  /**
   * Lets a signal that came during synchronous work reach this watch: the handler runs
   * only when the event loop turns, and a signal left pending after {@link end} is lost.
   */
  async settle(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /**
   * Stops catching. After a signal, raises it again on this process, which then ends as the
   * signal's default action says; returns the shell's status for it (128 + its number) for
   * a host program that catches it itself.
   */
  end(): number | undefined {
    watchEnds(this);
    if (this.signal === undefined) return undefined;
    process.kill(process.pid, this.signal);
    return 128 + (constants.signals[this.signal] ?? 0);
  }
}
