import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCases, policiesOf, readTree, runCli, synthCase, type GoldenCase } from '../src/cases';

// The one way goldens change: `npm run goldens:update` sets this. CI never does.
const UPDATE = process.env.KOPS_IAM_UPDATE_GOLDENS === '1' && process.env.CI !== 'true';

/** The expected folder of a case: exit-code, stdout, stderr, out/ (what synth wrote), policies/ and explain.md. */
function expectedOf(c: GoldenCase): Map<string, string> {
  return readTree(join(c.dir, 'expected'));
}

function writeExpected(c: GoldenCase, files: Map<string, string>): void {
  const dir = join(c.dir, 'expected');
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const cases = listCases();

describe('golden cases', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const c of cases) {
    it(c.name, async () => {
      expect(c.inputs.length, `${c.name} has no input .yaml`).toBeGreaterThan(0);
      const r = await synthCase(c);
      expect(r.stderr, 'no stack trace reaches the user').not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      const actual = new Map<string, string>();
      actual.set('exit-code', `${r.exitCode}\n`);
      if (r.stdout !== '') actual.set('stdout', r.stdout);
      if (r.stderr !== '') actual.set('stderr', r.stderr);
      for (const [path, text] of r.files) actual.set(`out/${path}`, text);
      for (const [path, text] of policiesOf(r.files)) actual.set(`policies/${path}`, text);
      if (r.exitCode !== 0) expect(r.files.size, 'a failed run writes nothing').toBe(0);
      else {
        // The permissions report people read, reviewed like the policies.
        const explain = await runCli(['explain', ...c.inputs], c.dir, c.featureFlags);
        expect(explain.exitCode, `${c.name}: kops-iam explain`).toBe(0);
        actual.set('explain.md', explain.stdout);
      }

      if (UPDATE) writeExpected(c, actual);
      const expected = expectedOf(c);
      expect(existsSync(join(c.dir, 'expected')), `${c.name} has no expected/; run npm run goldens:update`).toBe(true);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, text] of expected) expect(actual.get(path), `${c.name}/expected/${path}`).toBe(text);
    });
  }
});

describe('golden inputs', () => {
  it('the seed example case is the app bundled example', () => {
    const seed = cases.find((c) => c.name === 'seed-example');
    expect(seed).toBeDefined();
    const bundled = readFileSync(join(__dirname, '..', '..', 'apps', 'kops-iam', 'examples', 'seed.yaml'), 'utf8');
    expect(readFileSync(join(seed!.dir, seed!.inputs[0]!), 'utf8')).toBe(bundled);
  });
});
