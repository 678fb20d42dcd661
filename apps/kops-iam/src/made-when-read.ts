/**
 * An object whose properties `keys` come from `make`, called once, when one of them is first
 * read: for values that cost something to make and that most callers never read.
 */
export function madeWhenRead<T extends object>(keys: readonly (keyof T & string)[], make: () => T): T {
  let made: T | undefined;
  const out = {} as T;
  for (const key of keys) Object.defineProperty(out, key, { enumerable: true, get: () => (made ??= make())[key] });
  return out;
}
