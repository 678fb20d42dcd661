import type { CliIO } from './cli';

/**
 * A progress line on stderr (`synth 1200/5000 clusters, 410/s`), redrawn in place and at
 * most ten times a second; silent off a terminal, so logs and pipes stay clean.
 */
export class ProgressLine {
  private done_ = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly io: CliIO,
  ) {
    this.enabled = io.interactive && total > 1;
  }

  /** Counts clusters done (one unless a worker reports a batch). */
  tick(count = 1): void {
    this.done_ += count;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.done_ < this.total) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    this.io.stderr(`\r\x1b[Ksynth ${this.done_}/${this.total} clusters, ${Math.round(this.done_ / seconds)}/s`);
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled && this.lastDraw > 0) this.io.stderr('\r\x1b[K');
  }
}
