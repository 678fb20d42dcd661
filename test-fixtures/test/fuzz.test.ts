// A seeded, structure-aware fuzz test (issue 10, item 6). The valid golden cases (and the
// escaping test's clusters, which carry every IAM field of SPEC §9) are parsed once; each
// case mutates their YAML trees: hostile strings in scalars (template syntax, cdktf token
// markers, the former sentinel, control characters), values of other types, deleted,
// duplicated and renamed keys, deeper nesting, anchors, aliases, `<<` merge keys, small alias
// bombs, changed kinds, apiVersions and roles, added IAM fields, policies changed as JSON
// (and turned into YAML lists), now and then a change of the text itself. Every case goes
// through @kops-iam/core's loadPlans in-process; a fraction also through `kops-iam synth`,
// whose written stacks are evaluated under Terraform's template grammar and compared with
// their plans. Each case has its own random numbers: a failure names the seed and case, and
// KOPS_IAM_FUZZ_SEED=… KOPS_IAM_FUZZ_CASE=… replays that case alone.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FuzzCategory, FuzzReport } from '../src/fuzz/fuzz-run';
import { runFuzzParallel } from '../src/fuzz/parallel';
import { envNumber } from '../src/prng';

/** How many mutated inputs run; KOPS_IAM_FUZZ_CASES explores more by hand. */
const CASES = envNumber('KOPS_IAM_FUZZ_CASES', 20_000);
/** The fixed seed; KOPS_IAM_FUZZ_SEED explores other cases by hand (CI never sets it). */
const SEED = envNumber('KOPS_IAM_FUZZ_SEED', 0x6b6f7073); // "kops"
/** One case alone, to replay a failure. */
const ONLY = process.env.KOPS_IAM_FUZZ_CASE === undefined ? undefined : envNumber('KOPS_IAM_FUZZ_CASE', 0);
/** The time budget of a CI run. */
const BUDGET_MS = 60_000;

describe(`fuzz: ${ONLY === undefined ? CASES : `case ${ONLY} of`} seeded mutations of the valid specs (seed ${SEED})`, () => {
  let report: FuzzReport;
  beforeAll(async () => {
    report = await runFuzzParallel({
      cases: CASES,
      seed: SEED,
      synthValid: 1 / 60,
      synthTemplate: 1,
      synthInvalid: 1 / 400,
      ...(ONLY === undefined ? {} : { only: ONLY }),
    });
    const f = Object.fromEntries([...report.failures].map(([k, v]) => [k, v.count]));
    console.log(
      `fuzz: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s (CPU ${(report.cpuMs / 1000).toFixed(1)} s; ` +
        `${report.valid} valid, ${report.invalid} invalid; ` +
        `synthesized ${report.synthesized.valid} valid (${report.synthesized.escaped} writing escaped template syntax) ` +
        `and ${report.synthesized.invalid} invalid); failures ${JSON.stringify(f)}`,
    );
    for (const [category, { examples }] of report.failures)
      console.log(`fuzz ${category}: ${(examples[0] ?? '').split('\n')[0]?.slice(0, 600)}`);
  }, 300_000);

  const failures = (category: FuzzCategory) => {
    const entry = report.failures.get(category);
    return entry === undefined ? [] : [`${entry.count} failing cases; the first:`, ...entry.examples];
  };

  it('no internal error: no exception escapes, the exit status is 0, 1 or 2 and agrees with the checks', () => {
    expect(failures('internal')).toEqual([]);
  });

  it('no written string holds an unescaped interpolation, and every stack is exactly its plan', () => {
    expect([...failures('interpolation'), ...failures('literal')]).toEqual([]);
  });

  it('invalid input writes nothing: exit 1 creates neither the output folder nor its parents', () => {
    expect(failures('invalid-output')).toEqual([]);
  });

  it('every problem is a one-line diagnostic with a code and a place in the input', () => {
    expect([...failures('diagnostics'), ...failures('stderr')]).toEqual([]);
  });

  it.skipIf(ONLY !== undefined)(
    `runs ${CASES} cases within ${BUDGET_MS / 1000} s of a 2-CPU machine, exercising valid and invalid input and synth`,
    () => {
      expect(report.cases).toBe(CASES);
      expect(report.invalid).toBeGreaterThan(CASES / 4);
      expect(report.valid).toBeGreaterThan(CASES / 20);
      expect(report.synthesized.valid).toBeGreaterThan(CASES / 400);
      expect(report.synthesized.escaped, 'valid synthesized cases whose stacks hold escaped template syntax').toBeGreaterThan(CASES / 2000);
      // CPU time over two CPUs: what the run takes on an idle 2-CPU machine (CI), however busy this one is.
      // The wall time is printed above; CASES scales the budget for runs of other sizes.
      expect(report.cpuMs / 2, 'CPU ms / 2 (see the line printed above)').toBeLessThan(Math.max(10_000, (BUDGET_MS * CASES) / 20_000));
    },
  );
});
