/**
 * The V8 flags a large synth sets (v8-tuning.ts says why) before it starts its worker
 * threads. V8 accepts a code cache only under the flags it was made with: the warm-up that
 * makes the workers' cache (scripts/code-cache-warm-up.cjs) sets these same flags, read from
 * the bundle. A module of its own, without node:v8, which `validate` does not load.
 */
export const V8_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=20', '--interrupt-budget=400000'] as const;
