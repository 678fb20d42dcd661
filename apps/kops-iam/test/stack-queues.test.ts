import { describe, expect, it } from 'vitest';
import type { StackItem, StackWork } from '../src/stack-item';
import { StackQueues } from '../src/stack-queues';

const work = (n: number): StackWork[] =>
  Array.from({ length: n }, (_, index) => ({ index, job: { cluster: `c${index}`, file: `f${index}`, target: `t${index}` } }));
const item = (index: number): StackItem => ({ toPlan: { spec: { name: `c${index}` }, groups: [] } }) as unknown as StackItem;
const indexes = (batch: readonly StackWork[] | undefined): number[] | undefined => batch?.map((w) => w.index);

describe('StackQueues', () => {
  it('gives each thread the stacks of the plans it holds first, in order, then those no thread holds', () => {
    const holders = ['here', 'w', 'here', 'w', undefined, undefined] as const;
    const items = [undefined, item(1), undefined, item(3), item(4), item(5)];
    const q = new StackQueues<'w'>(work(6), holders, items);
    expect(indexes(q.take('w', 4))).toEqual([1, 3]);
    expect(indexes(q.take(undefined, 4))).toEqual([0, 2]);
    const unheld = q.take('w', 1);
    expect(indexes(unheld)).toEqual([4]);
    // A stack no thread holds the plan of goes with its item, to be planned where it is made.
    expect(unheld?.[0]?.item).toBe(items[4]);
    expect(indexes(q.take(undefined, 4))).toEqual([5]);
    expect(q.take('w', 4)).toBeUndefined();
    expect(q.take(undefined, 4)).toBeUndefined();
  });

  it("lets this thread, once out of stacks, take over a worker's last batch, with the items to plan it again", () => {
    const holders = ['here', 'w', 'w', 'w', 'w', 'w'] as const;
    const items = [undefined, item(1), item(2), item(3), item(4), item(5)];
    const q = new StackQueues<'w'>(work(6), holders, items);
    expect(indexes(q.take(undefined, 2))).toEqual([0]);
    const taken = q.take(undefined, 2);
    expect(indexes(taken)).toEqual([4, 5]);
    expect(taken?.map((w) => w.item)).toEqual([items[4], items[5]]);
    // The worker goes on from the front and never gets what was taken over.
    expect(indexes(q.take('w', 2))).toEqual([1, 2]);
    expect(indexes(q.take('w', 2))).toEqual([3]);
    expect(q.take('w', 2)).toBeUndefined();
    expect(q.take(undefined, 2)).toBeUndefined();
  });

  it("lets a worker, once out of stacks, take over this thread's last batch, or the longest queue's", () => {
    const holders = ['w', 'here', 'here', 'here', 'here', 'v', 'v'] as const;
    const items = [0, 1, 2, 3, 4, 5, 6].map(item);
    const q = new StackQueues<'w' | 'v'>(work(7), holders, items);
    expect(indexes(q.take('w', 2))).toEqual([0]);
    const taken = q.take('w', 2);
    // This thread had four left, the other worker two: the worker takes this thread's last two.
    expect(indexes(taken)).toEqual([3, 4]);
    expect(taken?.map((w) => w.item)).toEqual([items[3], items[4]]);
    expect(indexes(q.take(undefined, 4))).toEqual([1, 2]);
    // And this thread, out again, the other worker's last one.
    expect(indexes(q.take(undefined, 1))).toEqual([6]);
    expect(indexes(q.take('v', 4))).toEqual([5]);
    expect([q.take('w', 1), q.take('v', 1), q.take(undefined, 1)]).toEqual([undefined, undefined, undefined]);
  });

  it('lets go of the item of each stack handed to the thread that holds its plan', () => {
    const items = [item(0), item(1), item(2)];
    const q = new StackQueues<'w'>(work(3), ['w', 'w', 'here'], items);
    expect(indexes(q.take('w', 1))).toEqual([0]);
    expect(items).toEqual([undefined, item(1), item(2)]);
    expect(indexes(q.take(undefined, 5))).toEqual([2]);
    expect(items).toEqual([undefined, item(1), undefined]);
  });

  it("never takes over a worker's stack whose item this thread does not have", () => {
    const holders = ['w', 'w', 'w'] as const;
    const q = new StackQueues<'w'>(work(3), holders, [item(0), item(1), undefined]);
    expect(q.take(undefined, 2)).toBeUndefined();
    expect(indexes(q.take('w', 5))).toEqual([0, 1, 2]);
  });
});
