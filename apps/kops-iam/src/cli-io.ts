import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { describeErrno, errnoCode } from './fs-problem';

/**
 * Where the command reads and writes: injectable, so tests run the command in-process and
 * see exactly what a user would.
 */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: only then is progress shown. */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder relative FILEs and --out are read from; the process's own when absent. */
  readonly cwd?: string;
  /** Standard input, read for FILE `-`; the process's own when absent. */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /**
   * Resolves when stdout can take more text: true, or false once its reader has gone away
   * (`kops-iam explain … | head`). A command that prints much awaits it between pieces,
   * so its output never piles up in memory and it stops when nobody reads.
   */
  readonly drained?: () => Promise<boolean>;
}

/** The next turn of the event loop: what {@link CliIO.drained} does when the io has no stream to wait for. */
export function nextTurn(): Promise<boolean> {
  return new Promise((resolve) => setImmediate(() => resolve(true)));
}

/** The process's own streams, and whether writing to them failed. */
export interface ProcessIO extends CliIO {
  /** Why stdout or stderr could not be written (a full disk), other than a reader gone away; undefined when fine. */
  readonly streamFailure: () => string | undefined;
}

/**
 * The process's own standard output and error. A reader that goes away (EPIPE: `| head`) is
 * not an error of kops-iam: the output is marked closed, later writes are dropped, and no
 * stack trace is printed (Node ignores SIGPIPE, so without this the error would crash the
 * process). Any other write error (ENOSPC on `> file`) is kept for the exit status.
 */
export function processIO(): ProcessIO {
  let failure: string | undefined;
  const fail = (why: string): void => {
    failure ??= why;
  };
  const stdout = fdOutput(1, () => process.stdout, 'standard output', fail);
  const stderr = fdOutput(2, () => process.stderr, 'standard error', fail);
  return {
    stdout: stdout.write,
    stderr: stderr.write,
    // A getter: only a synth of several clusters asks (for its progress line), and Node's tty
    // module, which answers, takes some 3 ms to load.
    get interactive() {
      return isatty(2);
    },
    env: process.env,
    // A getter: process.stdin is made on first use, and only FILE '-' needs it.
    get stdin() {
      return process.stdin;
    },
    drained: stdout.drained,
    streamFailure: () => failure,
  };
}

/** Whether a file descriptor is a terminal (Node's tty module, loaded when first asked). */
function isatty(fd: number): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

export interface ClosableOutput {
  readonly write: (text: string | Uint8Array) => void;
  readonly drained: () => Promise<boolean>;
}

/**
 * An output written straight to its file descriptor, synchronously, so that a failed write is
 * known before the command ends. Through Node's stream, a full disk (`validate … > /dev/full`)
 * was reported on the stream only after the exit status was set: the run ended 0, silently.
 * When the descriptor would block (EAGAIN: a non-blocking pipe that is full), the rest goes
 * through the process's stream, which waits for the reader, and so does everything after it.
 */
export function fdOutput(
  fd: number,
  stream: () => Writable,
  name: string,
  fail: (why: string) => void,
  write: (fd: number, bytes: Uint8Array, offset: number) => number = writeSync,
): ClosableOutput {
  let closed = false;
  let viaStream: ClosableOutput | undefined;
  const failed = (e: unknown): void => {
    if (!closed && errnoCode(e) !== 'EPIPE') fail(`cannot write ${name}: ${describeErrno(e)}`);
    closed = true;
  };
  const put = (text: string | Uint8Array): void => {
    if (closed) return;
    if (viaStream !== undefined) return viaStream.write(text);
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    let done = 0;
    try {
      while (done < bytes.length) done += write(fd, bytes, done);
    } catch (e) {
      if (errnoCode(e) !== 'EAGAIN') return failed(e);
      viaStream = closableStream(stream(), failed);
      viaStream.write(bytes.subarray(done));
    }
  };
  const drained = (): Promise<boolean> => {
    if (viaStream !== undefined) return viaStream.drained();
    return new Promise((resolve) => setImmediate(() => resolve(!closed)));
  };
  return { write: put, drained };
}

function closableStream(stream: Writable, failed: (e: unknown) => void): ClosableOutput {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    failed(e);
    closed = true;
  });
  const write = (text: string | Uint8Array): void => {
    if (!closed) stream.write(text);
  };
  const drained = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    if (!stream.writableNeedDrain) return new Promise((resolve) => setImmediate(() => resolve(!closed)));
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done).off('close', done).off('error', done);
        resolve(!closed);
      };
      stream.once('drain', done).once('close', done).once('error', done);
    });
  };
  return { write, drained };
}
