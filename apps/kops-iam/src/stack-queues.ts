import type { StackItem, StackWork } from './stack-item';

/** The main thread, as the holder of plans. */
export const HERE = 'here';

/**
 * The stacks of a run in batches for each thread (`undefined`: this one), in input order: a
 * thread first makes those whose plans it holds, then those whose plans no thread keeps (each
 * planned again where it is made). This thread, once out of both, takes over the last batch a
 * worker was still to make when it has the items of those stacks (planning them again here):
 * a worker makes stacks more slowly than this thread (V8's collector helpers take its CPU),
 * and this thread waited 100–250 ms for it at the end of 1,000 clusters (cpu profiles).
 */
export class StackQueues<W> {
  private readonly own = new Map<W | undefined, StackWork[]>();
  private readonly anyone: StackWork[] = [];

  /** `holders[index]`: who holds the plan of each item (none: no one); `items[index]`: the items this thread has. */
  constructor(
    work: readonly StackWork[],
    holders: readonly (W | typeof HERE | undefined)[],
    private readonly items: readonly (StackItem | undefined)[],
  ) {
    for (const w of work) {
      const holder = holders[w.index];
      if (holder === undefined) this.anyone.push({ ...w, item: items[w.index] });
      else {
        const who = holder === HERE ? undefined : holder;
        const queue = this.own.get(who);
        if (queue === undefined) this.own.set(who, [w]);
        else queue.push(w);
      }
    }
  }

  /** Up to `size` stacks for `who` to make, or undefined when it has none left. */
  take(who: W | undefined, size: number): StackWork[] | undefined {
    const queue = this.own.get(who);
    if (queue !== undefined && queue.length > 0) return queue.splice(0, size);
    if (this.anyone.length > 0) return this.anyone.splice(0, size);
    return who === undefined ? this.takeOver(size) : undefined;
  }

  private takeOver(size: number): StackWork[] | undefined {
    for (const [holder, queue] of this.own) {
      if (holder === undefined || queue.length === 0) continue;
      const last = queue.slice(-size);
      if (last.some((w) => this.items[w.index] === undefined)) continue;
      queue.splice(-last.length);
      return last.map((w) => ({ ...w, item: this.items[w.index] }));
    }
    return undefined;
  }
}
