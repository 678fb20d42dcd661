import { closeSync, openSync, readSync } from 'node:fs';

/** An input: the name to show in messages, and its whole text or the file to read it from. */
export type InputFile = { readonly name: string; readonly text: string } | { readonly name: string; readonly path: string };

/** How much of a file is read at a time: a few documents, far less than a large input. */
const PIECE_BYTES = 16 * 1024;

/**
 * The text of an input, a piece at a time as it is asked for: the whole text when given
 * whole, else the file read in pieces. Bytes that are not UTF-8 become U+FFFD, as when
 * Node reads a file whole, and a byte order mark is kept for the YAML parser.
 */
export function* inputPieces(input: InputFile): Generator<string, void, undefined> {
  if ('text' in input) {
    yield input.text;
    return;
  }
  const fd = openSync(input.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(PIECE_BYTES);
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (let n = readSync(fd, buffer, 0, PIECE_BYTES, null); n > 0; n = readSync(fd, buffer, 0, PIECE_BYTES, null)) {
      yield decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    yield decoder.decode();
  } finally {
    closeSync(fd);
  }
}
