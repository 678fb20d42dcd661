// The published packages as a user gets them: `npm pack` of the workspaces, then an offline
// `npm install` of the tarballs into empty folders (see offline-install.ts for how that works
// without the registry). Needs the build (turbo's test task depends on it) and the npm cache
// that `npm ci` filled.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderBytes, installOffline, npm, packWorkspaces, projectsDir, ROOT, type Packed } from './offline-install';

const SEED = join(ROOT, 'apps', 'kops-iam', 'examples', 'seed.yaml');
const SEED_GOLDEN = join(ROOT, 'test-fixtures', 'cases', 'seed-example', 'expected', 'out');
const MAX_INSTALLED_BYTES = 30 * 1024 * 1024;
/** The constructs version of the user project: in the construct's peer range, other than the repository's 10.4.2. */
const USER_CONSTRUCTS = 'node_modules/constructs-other';

let packDir = '';
let packed = new Map<string, Packed>();
let projects = '';

beforeAll(() => {
  ({ dir: packDir, packed } = packWorkspaces(['kops-iam', '@kops-iam/core', '@kops-iam/cdktf']));
  projects = projectsDir();
});

afterAll(() => {
  for (const dir of [packDir, projects]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function pkg(name: string): Packed {
  const p = packed.get(name);
  if (p === undefined) throw new Error(`${name} was not packed`);
  return p;
}

/** Every file under a folder, by path relative to it. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name)));
    }
  };
  walk(dir);
  return out;
}

/** Folders named `name` anywhere under node_modules: one means every importer shares one copy. */
function copiesOf(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const path = join(dir, e.name);
      const rel = relative(nodeModules, path);
      if ((rel === name || rel.endsWith(`/node_modules/${name}`)) && existsSync(join(path, 'package.json'))) found.push(rel);
      walk(path);
    }
  };
  walk(nodeModules);
  return found;
}

describe('the kops-iam command, installed from its tarball alone', () => {
  it('installs offline in at most 30 MB, without cdktf, constructs or the AWS provider, and synthesizes the golden', () => {
    const dir = installOffline(projects, 'cli', { 'kops-iam': { packed: pkg('kops-iam') } });
    const modules = join(dir, 'node_modules');
    expect(readdirSync(modules).sort()).toEqual(['.bin', '.package-lock.json', '@cloud-copilot', 'kops-iam']);
    expect(existsSync(join(modules, '@cdktf')), 'no @cdktf/provider-aws').toBe(false);
    expect(existsSync(join(modules, 'cdktf')) || existsSync(join(modules, 'constructs'))).toBe(false);
    const bytes = folderBytes(modules);
    expect(bytes, `${(bytes / 1024 / 1024).toFixed(1)} MB installed`).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);

    const out = join(dir, 'out');
    const r = spawnSync(join(modules, '.bin', 'kops-iam'), ['synth', SEED, '--out', out], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote 1 stack to ${out}/stacks: seed.example.com\n`);
    const expected = tree(SEED_GOLDEN);
    const actual = tree(out);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytesExpected] of expected) expect(actual.get(path)?.equals(bytesExpected), path).toBe(true);

    const version = spawnSync(join(modules, '.bin', 'kops-iam'), ['--version'], { encoding: 'utf8' });
    expect(version.stdout).toBe('kops-iam 0.1.0\n');

    // The bundle holds iam-data's code and reads its data from the installed package: a misspelled action gets its fix.
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, readFileSync(SEED, 'utf8').replace('"dynamodb:*"', '"dynamodb:GetItm"'));
    const checked = spawnSync(join(modules, '.bin', 'kops-iam'), ['validate', typo], { cwd: dir, encoding: 'utf8' });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain(
      "unknown action 'dynamodb:GetItm': dynamodb has no action 'GetItm' in AWS's IAM data; did you mean 'dynamodb:GetItem'?",
    );
  });
});

/** A user's cdktf app: the construct's node instance profile used by the user's own launch template. */
const USER_APP = (spec: string): string => `import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { KopsIamRoles, formatDiagnostic, loadPlans, type IamPlan } from '@kops-iam/cdktf';

class NodesStack extends TerraformStack {
  constructor(scope: Construct, id: string, plan: IamPlan) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: plan.region });
    const iam = new KopsIamRoles(this, 'kops-iam', { plan, hostedZoneId: 'Z1D633PJN98FT9' });
    const nodes = iam.roles.get('node');
    if (nodes === undefined) throw new Error('the plan has no node role');
    new LaunchTemplate(this, 'nodes', { namePrefix: 'nodes-', iamInstanceProfile: { name: nodes.instanceProfileName } });
  }
}

async function main(): Promise<void> {
  const result = await loadPlans([{ name: 'seed.yaml', text: ${JSON.stringify(spec)} }]);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\\n'));
  const app = new App({ outdir: 'cdktf.out' });
  for (const { plan } of result.clusters) new NodesStack(app, 'nodes', plan);
  app.synth();
}

void main();
`;

const PROVIDER = join(ROOT, 'node_modules', '@cdktf', 'provider-aws');

/**
 * The user's @cdktf/provider-aws, 21.22.1 as in the repository: its package.json and the resource
 * modules the app and the construct load (lib/<resource>/), copied from the repository's install.
 * The whole package is 392 MB in 4,468 files, which npm takes some 40 s to unpack; what is under test
 * is that the construct uses the user's copy, and a missing module would fail the test loudly. Also
 * added to the project's package.json, as the user's own dependency.
 */
function provideAwsProvider(dir: string, userResources: readonly string[]): void {
  const constructFiles = join(dir, 'node_modules', '@kops-iam', 'cdktf', 'dist');
  const used = new Set(userResources);
  for (const file of readdirSync(constructFiles).filter((f) => f.endsWith('.js'))) {
    for (const [, resource] of readFileSync(join(constructFiles, file), 'utf8').matchAll(
      /require\("@cdktf\/provider-aws\/lib\/([a-z0-9-]+)"\)/g,
    )) {
      used.add(resource as string);
    }
  }
  const target = join(dir, 'node_modules', '@cdktf', 'provider-aws');
  for (const file of ['package.json', 'LICENSE']) cpSync(join(PROVIDER, file), join(target, file));
  for (const resource of used) cpSync(join(PROVIDER, 'lib', resource), join(target, 'lib', resource), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const version = (JSON.parse(readFileSync(join(PROVIDER, 'package.json'), 'utf8')) as { version: string }).version;
  manifest.dependencies['@cdktf/provider-aws'] = version;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

const USER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    lib: ['ES2022'],
    types: [],
    strict: true,
    skipLibCheck: true,
    outDir: 'dist',
  },
  files: ['main.ts'],
};

describe('the construct in a user cdktf project', () => {
  it(`compiles and synthesizes with the user's constructs (another version than kops-iam's), next to their launch template`, () => {
    const dir = installOffline(
      projects,
      'user-app',
      {
        '@kops-iam/cdktf': { packed: pkg('@kops-iam/cdktf') },
        '@kops-iam/core': { packed: pkg('@kops-iam/core') },
        cdktf: { lockPath: 'node_modules/cdktf' },
        constructs: { lockPath: USER_CONSTRUCTS },
      },
      ['@cdktf/provider-aws'],
    );
    const modules = join(dir, 'node_modules');
    provideAwsProvider(dir, ['provider', 'launch-template']);
    // npm itself finds every dependency and peer in place, with versions in range.
    npm(['ls', '--all', '--offline', '--prefix', dir], dir);
    const userConstructs = JSON.parse(readFileSync(join(modules, 'constructs', 'package.json'), 'utf8')) as { version: string };
    const ours = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'constructs', 'package.json'), 'utf8')) as { version: string };
    expect(userConstructs.version).not.toBe(ours.version);
    expect(copiesOf(modules, 'constructs'), 'one constructs for the user, cdktf, the provider and the construct').toEqual(['constructs']);
    expect(copiesOf(modules, 'cdktf')).toEqual(['cdktf']);

    writeFileSync(join(dir, 'main.ts'), USER_APP(readFileSync(SEED, 'utf8')));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(USER_TSCONFIG, null, 2));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr, 'tsc: no TS2345 (two constructs) nor any other error').toBe('');
    expect(tsc.status).toBe(0);

    const run = spawnSync(process.execPath, [join(dir, 'dist', 'main.js')], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr, 'no "scope.node._scopes is not iterable"').toBe('');
    expect(run.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'nodes', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const profiles = Object.keys(json.resource.aws_iam_instance_profile ?? {});
    expect(profiles).toContain('nodes-seed-example-com');
    expect(json.resource.aws_launch_template?.nodes?.iam_instance_profile).toEqual({
      name: '${aws_iam_instance_profile.nodes-seed-example-com.name}',
    });
    expect(Object.keys(json.resource.aws_iam_role ?? {}).sort()).toEqual(['masters-seed-example-com', 'nodes-seed-example-com']);
  });
});
