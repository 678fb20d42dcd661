import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIO } from '../src/cli-io';
import { ProgressLine } from '../src/progress';
import { synthToDir } from '../src/synth-command';
import { plansOf } from './helpers';
import { manyClusters } from './run-cli';

/** An io whose streams are recorded; `interactive` says whether stderr is a terminal. */
function fakeIo(interactive: boolean): { io: CliIO; stderr: string[]; stdout: string[] } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  return { io: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t), interactive, env: {} }, stderr, stdout };
}

describe('ProgressLine', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

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
    p.tick();
    expect(stderr).toHaveLength(2);
    expect(stderr[1]).toMatch(/^\r\x1b\[Ksynth 5\/5 clusters, \d+\/s$/);
  });

  it('off a terminal, or for a single cluster, prints nothing at all', () => {
    for (const [interactive, total] of [
      [false, 1000],
      [true, 1],
    ] as const) {
      const { io, stderr, stdout } = fakeIo(interactive);
      const p = new ProgressLine(total, io);
      for (let i = 0; i < total; i += 1) {
        vi.advanceTimersByTime(10);
        p.tick();
      }
      p.print('kops-iam: a message\n');
      expect(stderr).toEqual(['kops-iam: a message\n']);
      expect(stdout).toEqual([]);
    }
  });

  it("for a single cluster, never asks whether stderr is a terminal (loading Node's tty module takes some 3 ms)", () => {
    let asked = 0;
    const io = {
      ...fakeIo(true).io,
      get interactive() {
        asked += 1;
        return true;
      },
    };
    new ProgressLine(1, io).tick();
    expect(asked).toBe(0);
    new ProgressLine(2, io).tick();
    expect(asked).toBe(1);
  });

  it('errors never print on the progress line: it is cleared first', () => {
    const { io, stderr } = fakeIo(true);
    const p = new ProgressLine(10, io);
    vi.advanceTimersByTime(200);
    p.tick(3);
    p.print('kops-iam: cannot write x: no space left on device\n');
    expect(stderr).toEqual(['\r\x1b[Ksynth 3/10 clusters, 15/s', '\r\x1b[K', 'kops-iam: cannot write x: no space left on device\n']);
    p.done();
    expect(stderr).toHaveLength(3);
  });
});

describe('progress of a real synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kops-iam-progress-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts exactly: TOTAL is the number of clusters planned and the last line shows TOTAL/TOTAL, then is cleared', async () => {
    const plans = await plansOf(manyClusters('p', 150));
    const { io, stderr, stdout } = fakeIo(true);
    expect(await synthToDir(plans, join(dir, 'out'), io)).toBe(0);
    const draws = stderr.filter((s) => s.startsWith('\r\x1b[Ksynth'));
    expect(draws.length).toBeGreaterThan(0);
    const counts = draws.map((s) => /synth (\d+)\/(\d+) clusters/.exec(s)?.slice(1).map(Number));
    for (const c of counts) expect(c?.[1]).toBe(150);
    expect(counts.map((c) => c?.[0])).toEqual([...new Set(counts.map((c) => c?.[0]))].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(draws.at(-1)).toMatch(/^\r\x1b\[Ksynth 150\/150 clusters, \d+\/s$/);
    expect(stderr.at(-1)).toBe('\r\x1b[K');
    expect(stdout).toEqual([`wrote 150 stacks to ${join(dir, 'out')}/stacks: p0000.example.com, … (150)\n`]);
  }, 60_000);
});
