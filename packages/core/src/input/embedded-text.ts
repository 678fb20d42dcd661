/** A 1-based line and column in a file (structurally the diagnostics' SourcePosition). */
export interface TextPosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** The file a scalar was read from: what this module needs of it, nothing more. */
export interface EmbeddedSource {
  readonly name: string;
  /** The file's text (or the part still held), which starts at file offset {@link base}. */
  readonly text: string;
  readonly base: number;
  /** The position of a file offset. */
  position(offset: number): TextPosition;
}

/**
 * A YAML string scalar as this module needs it; a YAML node with these members is
 * accepted as it is, so this module does not depend on how nodes are modelled.
 */
export interface EmbeddedScalar {
  readonly source: EmbeddedSource;
  /** The file offset where the scalar starts: the `|` or `>` of a block scalar, the quote of a quoted one. */
  readonly start: number;
  /** The yaml package's scalar type: BLOCK_LITERAL, BLOCK_FOLDED, QUOTE_DOUBLE, QUOTE_SINGLE, PLAIN. */
  readonly scalarType: string | undefined;
  /** Where the scalar starts: the answer when no better one can be given. */
  readonly pos: TextPosition;
}

/**
 * Maps an offset inside a YAML string's value to its place in the file, so that an
 * error in JSON written inside a block scalar points at the broken line, not at `|`.
 * Literal blocks (`|`) map exactly, line by line. Folded blocks (`>`), quoted and plain
 * strings are folded, unescaped or both, so their value is aligned with the source
 * character by character (see {@link alignValue}); when that fails the start of the
 * scalar is used. The work is done once per value: each lookup is O(log lines).
 */
export function embeddedTextPosition(node: EmbeddedScalar, value: string): (offset: number) => TextPosition {
  if (node.scalarType === 'BLOCK_LITERAL') return literalPositions(node, value);
  const source = node.source;
  const local = node.start - source.base;
  const from = node.scalarType === 'BLOCK_FOLDED' ? nextLineStart(source.text, local) : local;
  const map = alignValue(source.text, from, value);
  if (map === undefined) return () => node.pos;
  return (offset) => {
    const at = map[Math.max(0, Math.min(offset, value.length))];
    return source.position(at === undefined ? node.start : source.base + at);
  };
}

/**
 * The source offset of every character of a scalar's value (and of its end), found by
 * walking value and source together: each non-blank value character is matched with the
 * next equal source character, skipping only what YAML removes or rewrites (blanks and
 * line breaks of folding and indentation, quotes, backslashes and escape letters). Blank
 * value characters map just after the character before them. Undefined when the two do
 * not line up (e.g. a `\u00e9` escape), so that no position is ever guessed wrong by much.
 * One pass: both indexes only move forward.
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

/**
 * A literal block's value is its lines with the block's indentation removed, so value
 * line k is file line (header + 1 + k), shifted right by that indentation. The value's
 * line breaks are found once; each lookup is a binary search among them.
 */
function literalPositions(node: EmbeddedScalar, value: string): (offset: number) => TextPosition {
  const source = node.source;
  const firstLine = source.position(node.start).line + 1;
  const breaks = lineBreaks(value);
  const indent = literalIndent(source.text, nextLineStart(source.text, node.start - source.base), value, breaks);
  return (offset) => {
    const line = countBelow(breaks, offset);
    const lineStart = line === 0 ? 0 : (breaks[line - 1] as number) + 1;
    return { file: source.name, line: firstLine + line, col: indent + offset - lineStart + 1 };
  };
}

/**
 * The indentation YAML strips from every line of a literal block: the file line of the
 * value's first non-blank line is longer by exactly that much. This holds with an
 * explicit indentation indicator (`|2`) too, where the first line keeps extra spaces.
 * `blockStart` is the (local) offset of the line after the header.
 */
function literalIndent(text: string, blockStart: number, value: string, breaks: readonly number[]): number {
  for (let k = 0; k <= breaks.length; k += 1) {
    const start = k === 0 ? 0 : (breaks[k - 1] as number) + 1;
    const valueLine = value.slice(start, k < breaks.length ? breaks[k] : value.length);
    if (valueLine.trim() === '') continue;
    const fileLine = lineAt(text, skipLines(text, blockStart, k)).replace(/\r$/, '');
    const expected = valueLine.replace(/\r$/, '');
    const indent = fileLine.length - expected.length;
    if (indent >= 0 && fileLine.slice(indent) === expected) return indent;
    break;
  }
  return blockIndent(text, blockStart);
}

/** The indentation of a block's first non-blank line, which YAML strips from every line. */
function blockIndent(text: string, from: number): number {
  for (let i = from; i < text.length;) {
    const end = text.indexOf('\n', i);
    const line = text.slice(i, end === -1 ? text.length : end);
    if (line.trim() !== '') return line.length - line.trimStart().length;
    if (end === -1) break;
    i = end + 1;
  }
  return 0;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

/** Offsets of the '\n' characters of a text, in order. */
function lineBreaks(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** How many of the sorted numbers are below `offset`. */
function countBelow(sorted: readonly number[], offset: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where the line after the one holding `offset` starts (the end of the text if there is none). */
function nextLineStart(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/** The start of the line `count` lines below the line starting at `lineStart`. */
function skipLines(text: string, lineStart: number, count: number): number {
  let at = lineStart;
  for (let k = 0; k < count && at < text.length; k += 1) at = nextLineStart(text, at);
  return at;
}

/** The line starting at `start`, without its line break. */
function lineAt(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}
