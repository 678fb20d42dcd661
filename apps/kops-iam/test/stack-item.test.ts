// What a run keeps in memory per cluster until its stacks are written (the bench's budget:
// ≤ 250 MiB at 5,000 many-addons clusters).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StackSynthesizer } from '../src/stack-json';
import { stackOf, unpack, type StackItem } from '../src/stack-item';
import { SynthPool } from '../src/synth-pool';
import { irsaSpec, planOf, strictCluster } from './manifests';

const scratch = mkdtempSync(join(tmpdir(), 'kops-iam-stack-item-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('stack items', () => {
  it("a packed stack holds exactly its bytes, not zlib's 16 KiB output chunk", async () => {
    const plan = await planOf(strictCluster('m.example.com', irsaSpec()));
    const { packed } = stackOf({ plan }, scratch, {});
    expect(packed).toBeDefined();
    expect(packed!.buffer.byteLength).toBe(packed!.byteLength);
    expect(packed!.byteLength).toBeLessThan(4096);
    expect(unpack(packed!).toString('utf8')).toBe(new StackSynthesizer(scratch).synthesize(plan));
  });

  it('the pool lets go of each item once it is handed out, and keeps the order of the results', async () => {
    const plans = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => planOf(strictCluster(`${n}.example.com`, irsaSpec()))));
    const items: (StackItem | undefined)[] = plans.map((plan) => ({ plan }));
    const pool = new SynthPool(0);
    const results = await pool.synthesize(
      { scratch, options: {} },
      items,
      () => undefined,
      () => false,
    );
    await pool.stop();
    expect(items.every((i) => i === undefined)).toBe(true);
    expect(results.map((r) => r.cluster)).toEqual(plans.map((p) => p.cluster));
  });
});
