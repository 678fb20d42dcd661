// Installing the packed packages the way a user would, but offline: `npm install --offline` into an
// empty folder, from the tarballs `npm pack` made and from the npm cache that `npm ci` filled.
//
// `npm ci` caches tarballs, not the registry's version lists, so npm cannot resolve a version range
// offline. Each test project therefore gets a package-lock.json cut from the repository's own: the
// packages the project needs, at the places the repository's lock puts them (a subset of a valid
// npm layout that keeps every package it reaches resolves the same way), with the packed workspaces
// as `file:` tarballs. npm then only reads tarballs from the cache, by their integrity.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [key: string]: unknown;
}

type Packages = Record<string, LockEntry>;

/** A workspace packed by `npm pack`: its name, its tarball and the tarball's integrity. */
export interface Packed {
  readonly name: string;
  readonly folder: string;
  readonly tarball: string;
  readonly integrity: string;
  readonly size: number;
  readonly unpackedSize: number;
}

/** Packs the workspaces into a new temporary folder (scripts are not run: the build made dist/ and bundle/). */
export function packWorkspaces(names: readonly string[]): { dir: string; packed: Map<string, Packed> } {
  const dir = mkdtempSync(join(tmpdir(), 'kops-iam-pack-'));
  const args = ['pack', ...names.flatMap((n) => ['-w', n]), '--pack-destination', dir, '--json', '--ignore-scripts'];
  const r = npm(args, ROOT);
  const folders = workspaceFolders();
  const packed = new Map<string, Packed>();
  for (const p of JSON.parse(r.stdout) as { name: string; filename: string; integrity: string; size: number; unpackedSize: number }[]) {
    const folder = folders.get(p.name);
    if (folder === undefined) throw new Error(`packed ${p.name}, which is not a workspace`);
    packed.set(p.name, {
      name: p.name,
      folder,
      tarball: join(dir, p.filename),
      integrity: p.integrity,
      size: p.size,
      unpackedSize: p.unpackedSize,
    });
  }
  return { dir, packed };
}

/** Runs npm; throws with its output when it fails. */
export function npm(args: readonly string[], cwd: string): { stdout: string; stderr: string } {
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

function repoLock(): Packages {
  return (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Packages }).packages;
}

/** Workspace name → its folder in the repository, from the lock's links. */
function workspaceFolders(): Map<string, string> {
  const lock = repoLock();
  const out = new Map<string, string>();
  for (const [path, entry] of Object.entries(lock)) {
    if (entry.link === true && typeof entry.resolved === 'string') out.set(path.replace(/^node_modules\//, ''), entry.resolved);
  }
  return out;
}

/** What a test project depends on: a packed workspace, or a package of the repository's lock (by its path there). */
export type Dependency = { readonly packed: Packed } | { readonly lockPath: string };

/**
 * Writes package.json and package-lock.json of a project depending on `deps` into a new folder
 * under `parent`, and installs it offline. Returns the project folder. Packages named in
 * `provided` stay out of the lock: the caller puts them in place (npm then runs with
 * --legacy-peer-deps, or it would look for them as missing peers).
 */
export function installOffline(
  parent: string,
  project: string,
  deps: Record<string, Dependency>,
  provided: readonly string[] = [],
): string {
  const dir = join(parent, project);
  mkdirSync(dir);
  const lock = repoLock();
  const packages: Packages = {};
  const rootDeps: Record<string, string> = {};
  // Where each workspace folder of the repository lands in the project, for its own node_modules.
  const workspaceAt = new Map<string, string>();
  // A package of the repository's root placed under another name (an alias: constructs-other → constructs).
  const replaced = new Map<string, string>();
  const todo: { from: string; to: string }[] = [];

  for (const [name, dep] of Object.entries(deps)) {
    const to = `node_modules/${name}`;
    if ('packed' in dep) {
      const manifest = JSON.parse(readFileSync(join(ROOT, dep.packed.folder, 'package.json'), 'utf8')) as LockEntry;
      const resolved = `file:${relative(dir, dep.packed.tarball)}`;
      rootDeps[name] = resolved;
      packages[to] = entryOf({ ...manifest, resolved, integrity: dep.packed.integrity });
      workspaceAt.set(dep.packed.folder, to);
      todo.push({ from: dep.packed.folder, to });
    } else {
      const entry = lock[dep.lockPath];
      if (entry?.version === undefined) throw new Error(`${dep.lockPath} is not in package-lock.json`);
      rootDeps[name] = entry.version;
      if (dep.lockPath !== to) replaced.set(to, dep.lockPath);
      packages[to] = withTarballUrl(entryOf(entry), dep.lockPath, lock);
      todo.push({ from: dep.lockPath, to });
    }
  }

  /** The repository path a package at `from` gets `name` from, as Node looks it up; and where that lands in the project. */
  const resolve = (from: string, name: string): { from: string; to: string } | undefined => {
    for (let base = from; ; base = parentOf(base)) {
      const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
      const rootLevel = `node_modules/${name}`;
      if (candidate === rootLevel && replaced.has(rootLevel)) return { from: replaced.get(rootLevel) as string, to: rootLevel };
      if (lock[candidate] !== undefined) return { from: candidate, to: projectPath(candidate, workspaceAt) };
      if (base === '') return undefined;
    }
  };

  while (todo.length > 0) {
    const { from, to } = todo.pop() as { from: string; to: string };
    for (const [name, optional] of edges(packages[to] ?? {})) {
      if (provided.includes(name)) continue;
      const found = resolve(from, name);
      if (found === undefined) {
        if (optional) continue;
        throw new Error(`${from} needs ${name}, which the repository's lock does not hold`);
      }
      if (packages[found.to] !== undefined) continue;
      if (lock[found.from]?.link === true) throw new Error(`${from} needs the workspace ${name}: pack it and list it`);
      packages[found.to] = withTarballUrl(entryOf(lock[found.from] as LockEntry), found.from, lock);
      todo.push(found);
    }
  }

  const sorted: Packages = { '': { name: project, version: '1.0.0', dependencies: rootDeps } };
  for (const key of Object.keys(packages).sort()) sorted[key] = packages[key] as LockEntry;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: project, version: '1.0.0', private: true, dependencies: rootDeps }, null, 2)}\n`,
  );
  const lockText = JSON.stringify({ name: project, version: '1.0.0', lockfileVersion: 3, requires: true, packages: sorted }, null, 2);
  writeFileSync(join(dir, 'package-lock.json'), `${lockText}\n`);
  const legacyPeers = provided.length > 0 ? ['--legacy-peer-deps'] : [];
  npm(['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', ...legacyPeers, '--prefix', dir], dir);
  return dir;
}

/** The names a package needs installed: its dependencies, optional ones (flagged) and required peers (npm installs those too). */
function edges(entry: LockEntry): [string, boolean][] {
  const out: [string, boolean][] = Object.keys(entry.dependencies ?? {}).map((n) => [n, false]);
  for (const n of Object.keys(entry.optionalDependencies ?? {})) out.push([n, true]);
  for (const n of Object.keys(entry.peerDependencies ?? {})) out.push([n, entry.peerDependenciesMeta?.[n]?.optional === true]);
  return out;
}

/** A lock entry as the project's lock holds it: the repository's dev/peer flags do not apply there. */
function entryOf(entry: LockEntry): LockEntry {
  const keep = ['version', 'resolved', 'integrity', 'inBundle', 'license', 'dependencies', 'optionalDependencies', 'peerDependencies'];
  const more = ['peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'optional', 'hasInstallScript', 'bundleDependencies'];
  const out: Record<string, unknown> = {};
  for (const key of [...keep, ...more]) if (entry[key] !== undefined) out[key] = entry[key];
  return out as LockEntry;
}

let registryUrl: string | undefined;

/**
 * The entry with its tarball's registry URL. The repository's lock leaves URLs out (npm's
 * omit-lockfile-registry-resolved); without one npm would ask the registry where the tarball is,
 * which offline it can answer only from a cached version list. With it, npm reads the tarball
 * that `npm ci` cached under that URL.
 */
function withTarballUrl(entry: LockEntry, path: string, lock: Packages): LockEntry {
  if (entry.inBundle === true || entry.resolved !== undefined || entry.version === undefined) return entry;
  registryUrl ??= npm(['config', 'get', 'registry'], ROOT).stdout.trim().replace(/\/?$/, '/');
  const name = lock[path]?.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return { ...entry, resolved: `${registryUrl}${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
}

/** `a/node_modules/b/node_modules/c` → `a/node_modules/b`; a workspace folder → the root (''). */
function parentOf(path: string): string {
  const at = path.lastIndexOf('/node_modules/');
  return at < 0 ? '' : path.slice(0, at);
}

/** A repository lock path in the project: under a packed workspace's place when it was under that workspace's folder. */
function projectPath(path: string, workspaceAt: ReadonlyMap<string, string>): string {
  for (const [folder, to] of workspaceAt) if (path.startsWith(`${folder}/`)) return `${to}/${path.slice(folder.length + 1)}`;
  return path;
}

/** Bytes of every file under a folder, as `du -sb` counts apparent sizes (links counted once, not followed). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else total += statSync(path).size;
  }
  return total;
}

/** The tarball file name, for messages. */
export function tarballName(p: Packed): string {
  return basename(p.tarball);
}

/** A folder for one test's projects. */
export function projectsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kops-iam-install-'));
  mkdirSync(dirname(dir), { recursive: true });
  return dir;
}
