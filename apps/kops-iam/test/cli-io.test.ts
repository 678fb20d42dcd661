// The process's own output: written straight to its file descriptor, with Node's stream only
// when the descriptor would block; a reader gone away ends the output quietly; any other
// failure is kept for the exit status.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fdOutput } from '../src/cli-io';

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: test`), { code });
}

describe('fdOutput', () => {
  it('writes every byte, also when the descriptor takes a part at a time', () => {
    const written: Buffer[] = [];
    const write = (_fd: number, bytes: Uint8Array, offset: number): number => {
      const n = Math.min(3, bytes.length - offset);
      written.push(Buffer.from(bytes.subarray(offset, offset + n)));
      return n;
    };
    const out = fdOutput(
      1,
      () => new PassThrough(),
      'standard output',
      () => undefined,
      write,
    );
    out.write('héllo, wörld\n');
    expect(Buffer.concat(written).toString()).toBe('héllo, wörld\n');
  });

  it('when the descriptor would block (EAGAIN), sends the rest and everything after through the stream, in order', async () => {
    const direct: Buffer[] = [];
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, offset: number): number => {
      calls += 1;
      if (calls > 1) throw errno('EAGAIN');
      direct.push(Buffer.from(bytes.subarray(offset, offset + 2))); // a split inside 'é' (2 bytes)
      return 2;
    };
    const stream = new PassThrough();
    const received: Buffer[] = [];
    stream.on('data', (d: Buffer) => received.push(d));
    const out = fdOutput(
      1,
      () => stream,
      'standard output',
      () => undefined,
      write,
    );
    out.write('aé b\n');
    out.write('c\n');
    expect(await out.drained()).toBe(true);
    expect(calls).toBe(2);
    expect(Buffer.concat([...direct, ...received]).toString()).toBe('aé b\nc\n');
  });

  it('a reader gone away (EPIPE) ends the output quietly; another error is kept, once', async () => {
    const failures: string[] = [];
    const gone = fdOutput(
      1,
      () => new PassThrough(),
      'standard output',
      (why) => failures.push(why),
      () => {
        throw errno('EPIPE');
      },
    );
    gone.write('a');
    gone.write('b');
    expect(failures).toEqual([]);
    expect(await gone.drained()).toBe(false);
    let calls = 0;
    const full = fdOutput(
      1,
      () => new PassThrough(),
      'standard output',
      (why) => failures.push(why),
      () => {
        calls += 1;
        throw errno('ENOSPC');
      },
    );
    full.write('a');
    full.write('b');
    expect([calls, failures]).toEqual([1, ['cannot write standard output: no space left on device']]);
  });
});
