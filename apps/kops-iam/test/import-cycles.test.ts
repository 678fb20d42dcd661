// The modules of src/ import each other in one direction only: no module is reached again
// from its own imports (type-only and lazy imports count too).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(__dirname, '..', 'src');

/** The src/ modules each module imports, by file name without extension. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)'(\.\/[^']+)'/gm)].map((m) =>
      (m[1] as string).slice(2),
    );
    graph.set(file.replace(/\.ts$/, ''), [...new Set(specifiers)]);
  }
  return graph;
}

/** Every cycle, as the path of modules that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      found.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  return found;
}

it('src/ has no import cycles', () => {
  const graph = importGraph();
  expect(graph.get('cli')).toContain('cli-io');
  expect(cycles(graph)).toEqual([]);
});

it('the cycle check finds a cycle', () => {
  const graph = new Map([
    ['cli', ['progress']],
    ['progress', ['synth-command']],
    ['synth-command', ['cli']],
  ]);
  expect(cycles(graph)).toEqual([['cli', 'progress', 'synth-command', 'cli']]);
});
