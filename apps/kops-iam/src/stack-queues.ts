import type { StackItem, StackWork } from './stack-item';

/** The main thread, as the holder of plans. */
export const HERE = 'here';

/**
 * The stacks of a run in batches for each thread (`undefined`: this one), in input order: a
 * thread first makes those whose plans it holds, then those whose plans no thread keeps (each
 * planned again where it is made). Once out of both, a thread takes over the last batch
 * another thread was still to make, with the items of those stacks (planned again where they
 * are made), from whichever has the most left. Threads plan at different speeds and hold
 * different shares of the plans: in cpu profiles of 1,000 clusters this thread waited
 * 100–250 ms for a worker at the end, and in other runs a worker waited up to 250 ms for it.
 */
export class StackQueues<W> {
  private readonly own = new Map<W | undefined, StackWork[]>();
  private readonly anyone: StackWork[] = [];

  /**
   * `holders[index]`: who holds the plan of each item (none: no one); `items[index]`: the
   * items this thread has, let go here as their stacks are handed out.
   */
  constructor(
    work: readonly StackWork[],
    holders: readonly (W | typeof HERE | undefined)[],
    private readonly items: (StackItem | undefined)[],
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
    if (queue !== undefined && queue.length > 0) {
      const batch = queue.splice(0, size);
      for (const w of batch) this.items[w.index] = undefined; // made by its holder: no one takes it over
      return batch;
    }
    if (this.anyone.length > 0) return this.anyone.splice(0, size);
    return this.takeOver(who, size);
  }

  private takeOver(who: W | undefined, size: number): StackWork[] | undefined {
    let from: StackWork[] | undefined;
    for (const [holder, queue] of this.own) if (holder !== who && queue.length > (from?.length ?? 0)) from = queue;
    const last = from?.slice(-size) ?? [];
    if (last.length === 0 || last.some((w) => this.items[w.index] === undefined)) return undefined;
    from?.splice(-last.length);
    return last.map((w) => ({ ...w, item: this.items[w.index] }));
  }
}
