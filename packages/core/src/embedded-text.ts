import type { SourcePosition } from './diagnostics';
import type { YamlNode } from './yaml-node';

/**
 * Maps an offset inside a YAML string's value to its place in the file, so that an
 * error in JSON written inside a block scalar points at the broken line, not at `|`.
 * Literal blocks (`|`) map exactly, line by line. Folded blocks (`>`), quoted and plain
 * strings are folded, unescaped or both, so their value is aligned with the source
 * character by character (see {@link alignValue}); when that fails the start of the
 * scalar is used.
 */
export function embeddedTextPosition(node: YamlNode, value: string): (offset: number) => SourcePosition {
  const source = node.source;
  const type = node.scalarType;
  if (type === 'BLOCK_LITERAL') {
    const header = source.position(node.start);
    const indent = literalIndent(source, header.line + 1, value);
    return (offset) => {
      const before = value.slice(0, offset);
      const line = countNewlines(before);
      const col = offset - (before.lastIndexOf('\n') + 1);
      return { file: source.name, line: header.line + 1 + line, col: indent + col + 1 };
    };
  }
  const from = type === 'BLOCK_FOLDED' ? source.lineStart(source.position(node.start).line + 1) : node.start;
  const map = alignValue(source.text, from - source.base, value);
  if (map === undefined) return () => node.pos;
  const base = source.base;
  const at = (offset: number): number => {
    const local = map[Math.max(0, Math.min(offset, value.length))];
    return local === undefined ? node.start : base + local;
  };
  return (offset) => source.position(at(offset));
}

/**
 * The source offset of every character of a scalar's value (and of its end), found by
 * walking value and source together: each non-blank value character is matched with the
 * next equal source character, skipping only what YAML removes or rewrites (blanks and
 * line breaks of folding and indentation, quotes, backslashes and escape letters). Blank
 * value characters map just after the character before them. Undefined when the two do
 * not line up (e.g. a `\u00e9` escape), so that no position is ever guessed wrong by much.
 */
export function alignValue(text: string, from: number, value: string): number[] | undefined {
  const map: number[] = new Array<number>(value.length + 1);
  let j = from;
  let last = from;
  for (let i = 0; i < value.length; i += 1) {
    const v = value[i] as string;
    if (isBlank(v)) {
      map[i] = last;
      continue;
    }
    while (j < text.length && text[j] !== v) {
      const c = text[j] as string;
      const escapeLetter = text[j - 1] === '\\' && 'ntrbf0/'.includes(c);
      if (!isBlank(c) && c !== '\\' && c !== '"' && c !== "'" && !escapeLetter) return undefined;
      j += 1;
    }
    if (j >= text.length) return undefined;
    map[i] = j;
    j += 1;
    last = j;
  }
  map[value.length] = last;
  return map;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * The indentation YAML strips from every line of a literal block: the file line of the
 * value's first non-blank line is longer by exactly that much. This holds with an
 * explicit indentation indicator (`|2`) too, where the first line keeps extra spaces.
 */
function literalIndent(source: { text: string; base: number; lineStart(line: number): number }, firstLine: number, value: string): number {
  const lines = value.split('\n');
  const index = lines.findIndex((l) => l.trim() !== '');
  if (index !== -1) {
    const start = source.lineStart(firstLine + index) - source.base;
    const end = source.text.indexOf('\n', start);
    const fileLine = source.text.slice(start, end === -1 ? source.text.length : end).replace(/\r$/, '');
    const valueLine = (lines[index] as string).replace(/\r$/, '');
    const indent = fileLine.length - valueLine.length;
    if (indent >= 0 && fileLine.slice(indent) === valueLine) return indent;
  }
  return blockIndent(source.text, source.lineStart(firstLine) - source.base);
}

/** The indentation of a block's first non-blank line, which YAML strips from every line. */
function blockIndent(text: string, from: number): number {
  for (let i = from; i < text.length; ) {
    const end = text.indexOf('\n', i);
    const line = text.slice(i, end === -1 ? text.length : end);
    if (line.trim() !== '') return line.length - line.trimStart().length;
    if (end === -1) break;
    i = end + 1;
  }
  return 0;
}
