import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InputFile } from '@kops-iam/core';
import type { CliIO } from './cli-io';
import { describeErrno, errnoCode } from './fs-problem';

/**
 * The most kops-iam reads from one input. A cluster as kops prints it is 3–10 KiB, so this
 * is some 30,000 clusters in one file, far beyond any real input; yet it keeps a mistaken
 * input (`/dev/zero`, a disk image) from growing the process without bound, and stays well
 * under V8's longest string (about 512 Mi characters), so a capped input always decodes.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** The inputs, each read once and whole: what is checked is exactly what is written. */
export interface InputsRead {
  readonly ok: true;
  readonly inputs: InputFile[];
  /** Their total size, which decides whether synth starts worker threads. */
  readonly bytes: number;
}

/** Why some FILEs could not be read: one message per FILE, every one of them. */
export interface InputsUnreadable {
  readonly ok: false;
  readonly problems: readonly string[];
}

/**
 * Reads the FILE arguments in order: a file whole, a folder as its `*.yaml`/`*.yml` files in
 * name order (not recursive), `-` as standard input. Every unreadable FILE is reported, not
 * only the first.
 */
export async function readInputs(names: readonly string[], io: CliIO, limit = MAX_INPUT_BYTES): Promise<InputsRead | InputsUnreadable> {
  const inputs: InputFile[] = [];
  const problems: string[] = [];
  let bytes = 0;
  let stdinRead = false;
  for (const name of names) {
    if (name === '-' && stdinRead) {
      problems.push("standard input ('-') can be read only once");
      continue;
    }
    stdinRead ||= name === '-';
    const read = name === '-' ? [await readStdin(io, limit)] : await readFileOrFolder(name, io.cwd, limit);
    for (const r of read) {
      if (typeof r === 'string') problems.push(r);
      else {
        inputs.push({ name: r.name, text: r.text });
        bytes += r.bytes;
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, inputs, bytes };
}

/** One input read, or why it could not be. */
type Read = { readonly name: string; readonly text: string; readonly bytes: number } | string;

async function readFileOrFolder(name: string, cwd: string | undefined, limit: number): Promise<Read[]> {
  const path = cwd === undefined ? name : resolve(cwd, name);
  let files: string[] | undefined;
  try {
    files = (await stat(path)).isDirectory() ? await yamlFilesIn(path) : undefined;
  } catch (e) {
    return [cannotRead(name, e)];
  }
  if (files === undefined) return [await readFile(name, path, limit)];
  if (files.length === 0) return [`cannot read '${name}': the folder holds no .yaml or .yml file`];
  const read: Read[] = [];
  for (const f of files) read.push(await readFile(join(name, f), join(path, f), limit));
  return read;
}

/** A folder's `*.yaml` and `*.yml` files in name order; subfolders (even one named x.yaml) are not read. */
async function yamlFilesIn(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!/\.ya?ml$/.test(entry.name) || entry.isDirectory()) continue;
    // A symbolic link counts as what it points to.
    if (entry.isSymbolicLink() && (await stat(join(folder, entry.name)).catch(() => undefined))?.isDirectory() === true) continue;
    files.push(entry.name);
  }
  return files.sort(compare);
}

/** Name order by code points, the same on every machine whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readFile(name: string, path: string, limit: number): Promise<Read> {
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (info.isFile() && info.size > limit) return tooLarge(name, limit);
      return decode(name, await readCapped(handle.createReadStream({ autoClose: false, highWaterMark: CHUNK_BYTES }), limit), limit);
    } finally {
      await handle.close();
    }
  } catch (e) {
    return cannotRead(name, e);
  }
}

/** How much is read at a time: few reads for a large file, little memory for a small one. */
const CHUNK_BYTES = 1024 * 1024;

async function readStdin(io: CliIO, limit: number): Promise<Read> {
  try {
    return decode('<stdin>', await readCapped(io.stdin ?? process.stdin, limit), limit);
  } catch (e) {
    return cannotRead('-', e);
  }
}

/** The bytes of a source, or undefined once it holds more than `limit`: reading stops there. */
async function readCapped(source: AsyncIterable<Uint8Array | string>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.length;
    if (total > limit) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

function decode(name: string, bytes: Buffer | undefined, limit: number): Read {
  if (bytes === undefined) return tooLarge(name, limit);
  // Invalid UTF-8 becomes U+FFFD and a byte order mark is kept, for the YAML parser to judge.
  return { name, text: bytes.toString('utf8'), bytes: bytes.length };
}

function tooLarge(name: string, limit: number): string {
  return `cannot read '${name}': it holds more than ${limit / 1024 / 1024} MiB, the most kops-iam reads from one input`;
}

function cannotRead(name: string, e: unknown): string {
  const code = errnoCode(e);
  if (code === undefined) throw e;
  const why = code === 'ENOENT' ? 'no such file' : code === 'ENOTDIR' ? 'no such file (a part of the path is a file)' : describeErrno(e);
  return `cannot read '${name}': ${why}`;
}
