import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIO } from '../src/cli';
import { ProgressLine, estimateClusters } from '../src/progress';

/** An io whose stderr is recorded; `interactive` says whether stderr is a terminal. */
function fakeIo(interactive: boolean): { io: CliIO; stderr: string[]; stdout: string[] } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  return { io: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), interactive, env: {} }, stderr, stdout };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('ProgressLine', () => {
  it('on a terminal, redraws one line with clusters done / total and the rate, then clears it', () => {
    const { io, stderr, stdout } = fakeIo(true);
    const p = new ProgressLine(400, io);
    vi.advanceTimersByTime(500);
    p.tick(100);
    expect(stderr).toEqual(['\r\x1b[Ksynth 100/400 clusters, 200/s']);
    vi.advanceTimersByTime(500);
    p.tick(300);
    expect(stderr.at(-1)).toBe('\r\x1b[Ksynth 400/400 clusters, 400/s');
    p.done();
    expect(stderr.at(-1)).toBe('\r\x1b[K');
    expect(stdout).toEqual([]);
  });

  it('draws at most ten times a second, but always the last cluster', () => {
    const { io, stderr } = fakeIo(true);
    const p = new ProgressLine(5, io);
    vi.advanceTimersByTime(200);
    for (let i = 0; i < 4; i += 1) p.tick();
    expect(stderr).toEqual(['\r\x1b[Ksynth 1/5 clusters, 5/s']);
    vi.advanceTimersByTime(100);
    p.tick();
    expect(stderr).toHaveLength(2);
    expect(stderr[1]).toMatch(/^\r\x1b\[Ksynth 5\/5 clusters, \d+\/s$/);
  });

  it('off a terminal prints nothing at all', () => {
    const { io, stderr, stdout } = fakeIo(false);
    const p = new ProgressLine(1000, io);
    for (let i = 0; i < 1000; i += 1) {
      vi.advanceTimersByTime(10);
      p.tick();
    }
    p.done();
    expect(stderr).toEqual([]);
    expect(stdout).toEqual([]);
  });

  it('prints nothing for a single cluster, even on a terminal', () => {
    const { io, stderr } = fakeIo(true);
    const p = new ProgressLine(1, io);
    vi.advanceTimersByTime(500);
    p.tick();
    p.done();
    expect(stderr).toEqual([]);
  });

  it('without a total shows the clusters done, and never shows more done than an estimated total', () => {
    const { io, stderr } = fakeIo(true);
    const p = new ProgressLine(undefined, io);
    vi.advanceTimersByTime(1000);
    p.tick(50);
    expect(stderr.at(-1)).toBe('\r\x1b[Ksynth 50 clusters, 50/s');
    const under = fakeIo(true);
    const q = new ProgressLine(2, under.io);
    vi.advanceTimersByTime(1000);
    q.tick(3);
    expect(under.stderr.at(-1)).toMatch(/^\r\x1b\[Ksynth 3\/3 clusters/);
  });
});

describe('estimateClusters', () => {
  it("counts the inputs' kind: Cluster lines, in text and in files, and gives nothing without any", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kops-iam-progress-'));
    try {
      const cluster = 'apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nmetadata:\n  name: a.example.com\n';
      const group = 'apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\n';
      writeFileSync(join(dir, 'f.yaml'), [cluster, group, cluster.replace('a.', 'b.')].join('---\n'));
      expect(estimateClusters([{ name: 't', text: `${cluster}---\n${group}` }, { name: 'f', path: join(dir, 'f.yaml') }])).toBe(3);
      expect(estimateClusters([{ name: 'bare', text: 'metadata:\n  name: a.example.com\nspec: {}\n' }])).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
