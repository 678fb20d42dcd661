import type { SourcePosition } from './diagnostics';
import type { YamlNode } from './yaml-node';

/**
 * Maps an offset inside a YAML string's value to its place in the file, so that an
 * error in JSON written inside a block scalar points at the broken line, not at `|`.
 * Literal blocks map exactly; other styles map exactly while the value is one plain
 * line, and fall back to the start of the scalar otherwise.
 */
export function embeddedTextPosition(node: YamlNode, value: string): (offset: number) => SourcePosition {
  const source = node.source;
  const type = node.scalarType;
  if (type === 'BLOCK_LITERAL') {
    const header = source.position(node.start);
    const indent = blockIndent(source.text, source.lineStart(header.line + 1));
    return (offset) => {
      const before = value.slice(0, offset);
      const line = countNewlines(before);
      const col = offset - (before.lastIndexOf('\n') + 1);
      return { file: source.name, line: header.line + 1 + line, col: indent + col + 1 };
    };
  }
  const quote = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
  const raw = source.text.slice(node.start + quote, node.start + quote + value.length);
  if (type !== 'BLOCK_FOLDED' && raw === value && !value.includes('\n')) {
    return (offset) => source.position(node.start + quote + offset);
  }
  return () => node.pos;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n += 1;
  return n;
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
