// A run's plans live on the thread that made them until their stacks are written, and each
// stack is written as soon as it is made: what a run holds per cluster (the bench's budget:
// ≤ 250 MiB at 5,000 many-addons clusters).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareManifests, readManifests, Report, type IamPlan } from '@kops-iam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { StackSynthesizer } from '../src/stack-json';
import { PlanStore, type Planned, type StackItem } from '../src/stack-item';
import type { StackJob } from '../src/stack-job';
import { SynthPool } from '../src/synth-pool';
import { irsaSpec, planOf, strictCluster, yamlStream } from './manifests';

const scratch = mkdtempSync(join(tmpdir(), 'kops-iam-stack-item-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function jobIn(dir: string, cluster: string): { cluster: string; file: string; target: string } {
  mkdirSync(dir, { recursive: true });
  return { cluster, file: join(dir, `${cluster}.json`), target: join(dir, cluster) };
}

/**
 * Plans `items` on a pool of this thread alone, then writes their stacks into a folder of the
 * scratch space until `stopped(stacks written so far)`: what was planned, where each stack
 * went, and how many were written.
 */
async function planAndWrite(
  pool: SynthPool,
  items: (StackItem | undefined)[],
  folder: string,
  stopped: (written: number) => boolean = () => false,
): Promise<{ planned: Planned[]; work: { index: number; job: StackJob }[]; written: number }> {
  const planned = await pool.plan(items, () => false);
  const work = planned.map((p, index) => ({ index, job: jobIn(join(scratch, folder), p.cluster) }));
  let written = 0;
  await pool.write(
    work,
    { scratch, options: {} },
    (n) => (written += n),
    () => stopped(written),
  );
  await pool.stop();
  return { planned, work, written };
}

/** Each job's file holds the stack of the plan at its index. */
function expectStacksOf(plans: readonly IamPlan[], work: readonly { job: StackJob }[]): void {
  for (const [i, w] of work.entries()) expect(readFileSync(w.job.file, 'utf8')).toBe(new StackSynthesizer(scratch).synthesize(plans[i]!));
}

describe('plans and stacks', () => {
  it('a plan store writes the stack of each plan it holds, then lets the plan go', async () => {
    const plan = await planOf(strictCluster('m.example.com', irsaSpec()));
    const store = new PlanStore();
    expect(store.plan([{ index: 7, item: { plan } }], true)).toEqual([{ cluster: 'm.example.com', planned: true, diagnostics: [] }]);
    const job = jobIn(join(scratch, 'one'), 'm.example.com');
    expect(store.write([{ index: 7, job }], { scratch, options: {} })).toBe(1);
    expect(readFileSync(job.file, 'utf8')).toBe(new StackSynthesizer(scratch).synthesize(plan));
    // Written once: the plan is gone.
    expect(() => store.write([{ index: 7, job }], { scratch, options: {} })).toThrow(/no plan for m.example.com/);
  });

  it('the pool lets go of each item once it is handed out, keeps the order, and writes what it planned', async () => {
    const plans = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => planOf(strictCluster(`${n}.example.com`, irsaSpec()))));
    const items: (StackItem | undefined)[] = plans.map((plan) => ({ plan }));
    const { planned, work, written } = await planAndWrite(new SynthPool(0), items, 'pool');
    expect(items.every((i) => i === undefined)).toBe(true);
    expect(planned.map((r) => r.cluster)).toEqual(plans.map((p) => p.cluster));
    expect(written).toBe(6);
    expectStacksOf(plans, work);
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
    const { planned, work } = await planAndWrite(new SynthPool(0, 2), items, 'again');
    expect(planned.every((p) => p.planned)).toBe(true);
    expectStacksOf(plans, work);
  });

  it('a stopped pool writes no more stacks', async () => {
    const plans = await Promise.all(
      ['g', 'h', 'i', 'j', 'k', 'l', 'm', 'n'].map((n) => planOf(strictCluster(`${n}.example.com`, irsaSpec()))),
    );
    const { written } = await planAndWrite(
      new SynthPool(0),
      plans.map((plan) => ({ plan })),
      'stopped',
      (n) => n > 0,
    );
    // One batch of four, then the stop is seen.
    expect(written).toBe(4);
  });
});
