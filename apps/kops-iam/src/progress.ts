import type { CliIO } from './cli-io';

/**
 * A progress line on stderr (`synth 1200/5000 clusters, 410/s`), redrawn in place and at
 * most ten times a second; silent off a terminal, so logs and pipes stay clean. The total
 * is exact (every plan is known before the first stack is written) and the last count is
 * always drawn, so a finished run shows N/N.
 */
export class ProgressLine {
  private count = 0;
  private lastDraw = 0;
  private shown = false;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly io: CliIO,
  ) {
    this.enabled = total > 1 && io.interactive;
  }

  /** Counts stacks written. */
  tick(count = 1): void {
    this.count += count;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.count !== this.total) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    this.io.stderr(`\r\x1b[Ksynth ${this.count}/${this.total} clusters, ${Math.round(this.count / seconds)}/s`);
    this.shown = true;
  }

  /** Clears the line, so that what is printed next starts on a clean line. */
  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
    this.shown = false;
  }

  /** Prints a message on stderr: the line is cleared first, never written over. */
  print(text: string): void {
    this.done();
    this.io.stderr(text);
  }
}
