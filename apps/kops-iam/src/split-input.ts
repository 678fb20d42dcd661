import type { InputFile } from '@kops-iam/core';

/** A line that starts a YAML document: `---` at column 0, then a blank or the line's end. */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/**
 * The inputs in `count` parts of about equal size, for reading on several threads. A file
 * is cut only before a line that starts a document: YAML forbids `---` at the start of a
 * line anywhere else, even inside block or quoted scalars, so every part holds whole
 * documents. Not before a directive's document (a `%` line before the marker belongs to
 * it). Each part says the file line it starts on, so positions stay the file's.
 */
export function splitInputs(inputs: readonly InputFile[], count: number): InputFile[][] {
  const total = inputs.reduce((n, f) => n + f.text.length, 0);
  const size = Math.ceil(total / Math.max(1, count));
  const parts: InputFile[][] = [[]];
  let filled = 0;
  for (const input of inputs) {
    for (const piece of cutFile(input, size)) {
      const current = parts[parts.length - 1] as InputFile[];
      if (filled >= size && parts.length < count) {
        parts.push([piece]);
        filled = piece.text.length;
      } else {
        current.push(piece);
        filled += piece.text.length;
      }
    }
  }
  return parts.filter((p) => p.length > 0);
}

/** A file cut into pieces of about `size` characters at document starts (the file itself when small). */
function cutFile(input: InputFile, size: number): InputFile[] {
  if (input.text.length <= size) return [input];
  const pieces: InputFile[] = [];
  let from = 0;
  let line = input.firstLine ?? 1;
  DOCUMENT_START.lastIndex = 0;
  for (let m = DOCUMENT_START.exec(input.text); m !== null; m = DOCUMENT_START.exec(input.text)) {
    if (m.index - from < size || m.index === 0 || precededByDirective(input.text, m.index)) continue;
    const text = input.text.slice(from, m.index);
    pieces.push({ name: input.name, text, firstLine: line });
    line += countLines(text);
    from = m.index;
  }
  pieces.push({ name: input.name, text: input.text.slice(from), firstLine: line });
  return pieces;
}

function precededByDirective(text: string, at: number): boolean {
  const before = text.lastIndexOf('\n', at - 2);
  return text.startsWith('%', before + 1);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}
