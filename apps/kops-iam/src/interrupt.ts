import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The signal that stopped a run, thrown out of its work so that its clean-up runs. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
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
  private readonly handler = (signal: NodeJS.Signals): void => {
    if (this.signal !== undefined) return;
    this.signal = signal;
    this.reject?.(new Interrupted(signal));
  };

  constructor() {
    this.interrupted = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.interrupted.catch(() => undefined); // awaited only while work runs
    for (const s of SIGNALS) process.on(s, this.handler);
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
    for (const s of SIGNALS) process.off(s, this.handler);
    if (this.signal === undefined) return undefined;
    process.kill(process.pid, this.signal);
    return 128 + (constants.signals[this.signal] ?? 0);
  }
}
