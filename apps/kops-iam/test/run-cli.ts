// Running kops-iam in tests: in-process through run(), or as the built command in a child
// process (signals, kill -9, other users and worker threads are per process).
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from '../src/cli';
import { clusterYaml } from './helpers';

/** What a run printed and its exit status. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kops-iam ARGV` in-process in `cwd`, stdin and environment as given. */
export async function cli(
  cwd: string,
  argv: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; interactive?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    interactive: options.interactive ?? false,
    env: options.env ?? {},
    cwd,
    stdin: (async function* () {
      if (options.stdin !== undefined) yield Buffer.from(options.stdin);
    })(),
  });
  return { code, stdout, stderr };
}

/** The built command line; tests that need it fail with a hint when it is missing. */
export const BUILT_CLI = join(__dirname, '..', 'dist', 'cli.js');

export function requireBuild(): void {
  if (!existsSync(BUILT_CLI)) throw new Error('build first: npm run build (or npx tsc -p apps/kops-iam/tsconfig.build.json)');
}

/** A child process of the built command, and how it ended. */
export interface Child {
  readonly pid: number;
  readonly kill: (signal: NodeJS.Signals) => void;
  /** What it printed on stderr so far. */
  readonly stderr: () => string;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `node dist/cli.js ARGV` in `cwd` (or another script of the command: `cli`). */
export function spawnCli(cwd: string, argv: readonly string[], options: SpawnOptions = {}, cli = BUILT_CLI): Child {
  const child = spawn(process.execPath, [cli, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { pid: child.pid as number, kill: (s) => child.kill(s), stderr: () => stderr, ended };
}

/** Every file under a folder with its text, by path relative to it ('' when it does not exist). */
export function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Entries anywhere under a folder whose name marks them as kops-iam's temporary files or lock. */
export function leftovers(root: string): string[] {
  return Object.keys(treeEntries(root)).filter((p) => /(^|\/)\.kops-iam/.test(p));
}

function treeEntries(root: string): Record<string, true> {
  const out: Record<string, true> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      out[relative(root, path)] = true;
      if (e.isDirectory()) walk(path);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

/** Waits until `ready()` holds, checking every few milliseconds; false after `ms`. */
export async function until(ready: () => boolean, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return ready();
}

/** Many distinct clusters as one YAML text. */
export function manyClusters(prefix: string, count: number, extra = '  dnsZone: Z1'): string {
  return Array.from({ length: count }, (_, i) => clusterYaml(`${prefix}${String(i).padStart(4, '0')}.example.com`, extra)).join('---\n');
}
