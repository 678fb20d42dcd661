// A run's plans live on the thread that made them until their stacks are written, and each
// stack is written as soon as it is made: what a run holds per cluster (the bench's budget:
// ≤ 250 MiB at 5,000 many-addons clusters).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareManifests, readManifests, Report } from '@kops-iam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { StackSynthesizer } from '../src/stack-json';
import { PlanStore, type StackItem } from '../src/stack-item';
import { SynthPool } from '../src/synth-pool';
import { irsaSpec, planOf, strictCluster, yamlStream } from './manifests';

const scratch = mkdtempSync(join(tmpdir(), 'kops-iam-stack-item-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function jobIn(dir: string, cluster: string): { cluster: string; file: string; target: string } {
  mkdirSync(dir, { recursive: true });
  return { cluster, file: join(dir, `${cluster}.json`), target: join(dir, cluster) };
}

describe('plans and stacks', () => {
  it('a plan store writes the stack of each plan it holds, then lets the plan go', async () => {
    const plan = await planOf(strictCluster('m.example.com', irsaSpec()));
    const store = new PlanStore();
    expect(store.plan([{ index: 7, item: { plan }, keep: true }])).toEqual([{ cluster: 'm.example.com', planned: true, diagnostics: [] }]);
    const job = jobIn(join(scratch, 'one'), 'm.example.com');
    expect(store.write([{ index: 7, job }], { scratch, options: {} })).toBe(1);
    expect(readFileSync(job.file, 'utf8')).toBe(new StackSynthesizer(scratch).synthesize(plan));
    // Written once: the plan is gone.
    expect(() => store.write([{ index: 7, job }], { scratch, options: {} })).toThrow(/no plan for m.example.com/);
  });

  it('the pool lets go of each item once it is handed out, keeps the order, and writes what it planned', async () => {
    const plans = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => planOf(strictCluster(`${n}.example.com`, irsaSpec()))));
    const items: (StackItem | undefined)[] = plans.map((plan) => ({ plan }));
    const pool = new SynthPool(0);
    const planned = await pool.plan(items, () => false);
    expect(items.every((i) => i === undefined)).toBe(true);
    expect(planned.map((r) => r.cluster)).toEqual(plans.map((p) => p.cluster));
    const work = planned.map((p, index) => ({ index, job: jobIn(join(scratch, 'pool'), p.cluster) }));
    let ticks = 0;
    await pool.write(
      work,
      { scratch, options: {} },
      (n) => (ticks += n),
      () => false,
    );
    await pool.stop();
    expect(ticks).toBe(6);
    for (const [i, w] of work.entries()) expect(readFileSync(w.job.file, 'utf8')).toBe(new StackSynthesizer(scratch).synthesize(plans[i]!));
  });

  it('beyond the plans it keeps, a pool plans each cluster again as its stack is made: the same stacks', async () => {
    const names = ['p', 'q', 'r'].map((n) => `${n}.example.com`);
    const plans = await Promise.all(names.map((n) => planOf(strictCluster(n, irsaSpec()))));
    const report = new Report();
    const read = readManifests(
      [{ name: 'in.yaml', text: yamlStream(...names.map((n) => strictCluster(n, irsaSpec()))) }],
      new Map(),
      report,
    );
    const items: (StackItem | undefined)[] = (await prepareManifests(read, report, 'in.yaml')).map((toPlan) => ({ toPlan }));
    expect(report.hasErrors).toBe(false);
    const pool = new SynthPool(0, 2);
    const planned = await pool.plan(items, () => false);
    expect(planned.every((p) => p.planned)).toBe(true);
    const work = planned.map((p, index) => ({ index, job: jobIn(join(scratch, 'again'), p.cluster) }));
    await pool.write(
      work,
      { scratch, options: {} },
      () => undefined,
      () => false,
    );
    await pool.stop();
    for (const [i, w] of work.entries()) expect(readFileSync(w.job.file, 'utf8')).toBe(new StackSynthesizer(scratch).synthesize(plans[i]!));
  });

  it('a stopped pool writes no more stacks', async () => {
    const plans = await Promise.all(
      ['g', 'h', 'i', 'j', 'k', 'l', 'm', 'n'].map((n) => planOf(strictCluster(`${n}.example.com`, irsaSpec()))),
    );
    const pool = new SynthPool(0);
    const planned = await pool.plan(
      plans.map((plan) => ({ plan })),
      () => false,
    );
    const work = planned.map((p, index) => ({ index, job: jobIn(join(scratch, 'stopped'), p.cluster) }));
    let ticks = 0;
    await pool.write(
      work,
      { scratch, options: {} },
      (n) => (ticks += n),
      () => ticks > 0,
    );
    await pool.stop();
    // One batch of four, then the stop is seen.
    expect(ticks).toBe(4);
  });
});
