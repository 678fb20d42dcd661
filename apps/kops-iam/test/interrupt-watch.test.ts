// InterruptWatch in-process (interrupt.test.ts sends real signals to the built command).
import { describe, expect, it } from 'vitest';
import { InterruptWatch } from '../src/interrupt';

describe('InterruptWatch', () => {
  it('many runs at once share one listener per signal, removed when the last run ends', () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));
    const watches = Array.from({ length: 12 }, () => new InterruptWatch());
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before.map((n) => n + 1));
    for (const w of watches.slice(1)) expect(w.end()).toBeUndefined();
    expect(process.listenerCount('SIGTERM')).toBe((before[1] ?? 0) + 1);
    expect(watches[0]?.end()).toBeUndefined();
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before);
    expect(watches.every((w) => !w.stopped)).toBe(true);
  });
});
