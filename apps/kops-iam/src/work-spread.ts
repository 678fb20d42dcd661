/**
 * Batches a worker may have in flight by default: enough to stay busy while this thread does
 * one of its own (a worker's answer waits until this thread's batch is done).
 */
const WORKER_QUEUE = 2;

/** How {@link spread} hands out batches, does one on a worker and on this thread, and when it stops. */
export interface Spread<W, B> {
  /** The next batch for a worker (undefined: for this thread), or none: its work is done. */
  readonly take: (who: W | undefined) => B | undefined;
  /** Does a batch; how many units of work it was (for `tick`). */
  readonly onWorker: (worker: W, batch: B) => Promise<number>;
  readonly here: (batch: B) => number;
  readonly tick?: (n: number) => void;
  readonly stopped?: () => boolean;
  /** Batches each worker may have in flight (default WORKER_QUEUE). */
  readonly queue?: number;
}

/**
 * Work spread over worker threads and this one: each worker keeps up to `queue`
 * batches in flight, so it never waits for this thread; this thread works too, letting
 * worker answers and signals in between its batches. The first failure (or `broken()`, a
 * failure of the workers themselves) stops the handing out; the batches in flight still
 * end before it is thrown, so that no write lands after the caller has cleaned up.
 */
export async function spread<W, B>(workers: readonly W[], broken: () => unknown, how: Spread<W, B>): Promise<void> {
  let failed: { reason: unknown } | undefined;
  const next = (who: W | undefined): B | undefined =>
    how.stopped?.() === true || failed !== undefined || broken() !== undefined ? undefined : how.take(who);
  const until = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (e) {
      failed ??= { reason: e };
    }
  };
  // (Not `how.tick?.(how.here(batch))`: without a tick, that would skip the batch itself.)
  const tick = how.tick ?? (() => undefined);
  const feed = async (worker: W): Promise<void> => {
    for (let batch = next(worker); batch !== undefined; batch = next(worker)) tick(await how.onWorker(worker, batch));
  };
  const here = async (): Promise<void> => {
    for (let batch = next(undefined); batch !== undefined; batch = next(undefined)) {
      tick(how.here(batch));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const feeders = workers.flatMap((w) => Array.from({ length: how.queue ?? WORKER_QUEUE }, () => until(() => feed(w))));
  await Promise.all([...feeders, until(here)]);
  const failure = broken();
  if (failure !== undefined) throw failure;
  if (failed !== undefined) throw failed.reason;
}
