import { createReadStream, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
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

/**
 * How many bytes the FILE arguments hold, from their sizes alone (standard input, and what
 * cannot be read, count 0): what a command may prepare for before reading them.
 */
export function inputSizes(names: readonly string[], cwd: string | undefined): number {
  let bytes = 0;
  for (const name of names) {
    if (name === '-') continue;
    const path = cwd === undefined ? name : resolve(cwd, name);
    try {
      const info = statSync(path);
      if (info.isFile()) bytes += info.size;
      else if (info.isDirectory())
        for (const f of yamlFilesIn(path)) bytes += statSync(join(path, f), { throwIfNoEntry: false })?.size ?? 0;
    } catch {
      // reported when the file is read
    }
  }
  return bytes;
}

/** One input read, or why it could not be. */
type Read = { readonly name: string; readonly text: string; readonly bytes: number } | string;

async function readFileOrFolder(name: string, cwd: string | undefined, limit: number): Promise<Read[]> {
  const path = cwd === undefined ? name : resolve(cwd, name);
  let info: Stats;
  let files: string[] | undefined;
  try {
    info = statSync(path);
    files = info.isDirectory() ? yamlFilesIn(path) : undefined;
  } catch (e) {
    return [cannotRead(name, e)];
  }
  if (files === undefined) return [await readFile(name, path, info, limit)];
  if (files.length === 0) return [`cannot read '${name}': the folder holds no .yaml or .yml file`];
  const read: Read[] = [];
  for (const f of files) read.push(await readFileAt(join(name, f), join(path, f), limit));
  return read;
}

/** A folder's `*.yaml` and `*.yml` files in name order; subfolders (even one named x.yaml) are not read. */
function yamlFilesIn(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!/\.ya?ml$/.test(entry.name) || entry.isDirectory()) continue;
    // A symbolic link counts as what it points to.
    if (entry.isSymbolicLink() && statSync(join(folder, entry.name), { throwIfNoEntry: false })?.isDirectory() === true) continue;
    files.push(entry.name);
  }
  return files.sort(compare);
}

/** Name order by code points, the same on every machine whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readFileAt(name: string, path: string, limit: number): Promise<Read> {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (e) {
    return cannotRead(name, e);
  }
  return readFile(name, path, info, limit);
}

/**
 * A regular file is read at once, synchronously: its size is known, and this path does not
 * load Node's stream modules. Measured in fresh processes, this way against the former
 * stream of 1 MiB chunks: 3.5 MB in 32–36 ms instead of 51–54 ms, a 4 KB file in 4 ms
 * instead of 8 ms; `validate` of one cluster 138 ms instead of 150 ms (alternating runs).
 * Anything else (a FIFO, a device) is streamed, so that reading stops at `limit` however
 * much it would give.
 */
async function readFile(name: string, path: string, info: Stats, limit: number): Promise<Read> {
  if (info.isFile() && info.size > limit) return tooLarge(name, limit);
  try {
    if (info.isFile()) return decode(name, capped(readFileSync(path), limit), limit);
    return decode(name, await readCapped(createReadStream(path, { highWaterMark: CHUNK_BYTES }), limit), limit);
  } catch (e) {
    return cannotRead(name, e);
  }
}

/** The bytes, or undefined when there are more than `limit` (a file that grew after its stat). */
function capped(bytes: Buffer, limit: number): Buffer | undefined {
  return bytes.length > limit ? undefined : bytes;
}

/** How much is read at a time from a stream: few reads for a large input, little memory for a small one. */
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
