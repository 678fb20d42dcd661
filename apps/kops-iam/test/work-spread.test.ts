import { describe, expect, it } from 'vitest';
import { spread } from '../src/work-spread';

/** Spreads `batches` batches over one worker (answering after a tick) and this thread: the most batches the worker had at once. */
async function mostInFlight(batches: number, queue?: number): Promise<{ inFlight: number; done: number[] }> {
  let next = 0;
  let inFlight = 0;
  let most = 0;
  const done: number[] = [];
  await spread<'w', number>(['w'], () => undefined, {
    take: () => (next < batches ? next++ : undefined),
    onWorker: async (_w, b) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      done.push(b);
      return 1;
    },
    here: (b) => {
      done.push(b);
      return 1;
    },
    ...(queue !== undefined ? { queue } : {}),
  });
  return { inFlight: most, done: done.sort((a, b) => a - b) };
}

describe('spread', () => {
  it('keeps two batches in flight on a worker by default, and as many as `queue` says', async () => {
    for (const [queue, expected] of [
      [undefined, 2],
      [5, 5],
    ] as const) {
      const r = await mostInFlight(40, queue);
      expect(r.inFlight, `queue ${queue}`).toBe(expected);
      expect(r.done).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });
});
