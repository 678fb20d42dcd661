/** A seeded source of numbers in [0, 1): the same seed gives the same sequence everywhere. */
export type Random = () => number;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const int = (r: Random, n: number): number => Math.floor(r() * n);

/** One of the items. */
export const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)] as T;

/** True with probability p. */
export const chance = (r: Random, p: number): boolean => r() < p;

/** A number from an environment variable (decimal or 0x hex), or the default. */
export function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`${name}=${text} is not a number`);
  return n;
}
