import { inputPieces, type InputFile } from '@kops-iam/core';
import type { CliIO } from './cli';

/**
 * A progress line on stderr (`synth 1200/5000 clusters, 410/s`), redrawn in place and at
 * most ten times a second; silent off a terminal, so logs and pipes stay clean. The total
 * may be an estimate (clusters are counted as they are read); done never shows above it.
 */
export class ProgressLine {
  private done_ = 0;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(
    private readonly total: number | undefined,
    private readonly io: CliIO,
  ) {
    this.enabled = io.interactive && (total === undefined || total > 1);
  }

  /** Counts clusters done (one unless a worker reports a batch). */
  tick(count = 1): void {
    this.done_ += count;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.done_ !== this.total) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const of = this.total === undefined ? '' : `/${Math.max(this.total, this.done_)}`;
    this.io.stderr(`\r\x1b[Ksynth ${this.done_}${of} clusters, ${Math.round(this.done_ / seconds)}/s`);
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled && this.lastDraw > 0) this.io.stderr('\r\x1b[K');
  }
}

/**
 * About how many clusters the inputs hold, for the progress line's total: their
 * `kind: Cluster` lines, counted without parsing. Undefined when there are none (the bare
 * metadata + spec form), so that no wrong total is shown.
 */
export function estimateClusters(inputs: readonly InputFile[]): number | undefined {
  let n = 0;
  for (const input of inputs) for (const piece of inputPieces(input)) n += piece.match(CLUSTER_KIND)?.length ?? 0;
  return n > 0 ? n : undefined;
}

const CLUSTER_KIND = /^kind:[ \t]*Cluster[ \t]*\r?$/gm;
