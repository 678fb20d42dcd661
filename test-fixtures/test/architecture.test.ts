// The invariants ARCHITECTURE.md promises, checked on the sources: no import circles in any
// package, the core free of cdktf and of Terraform's names, and the statement model used
// by every policy (no second one creeping back).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['packages/core/src', 'apps/kops-iam/src'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The relative modules a file imports (static `import … from`, `export … from`, `import('…')`, `require('…')`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specs.map((s) => {
    const base = resolve(dirname(file), s);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not this one
      }
    }
    return `${base}.ts`;
  });
}

/** The strongly connected components of more than one module (or a module importing itself): import circles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
    }
    if (low.get(v) !== indexOf.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.map((f) => relative(ROOT, f)).sort());
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  for (const dir of SOURCES) {
    it(`${dir} has no import circles`, () => {
      const graph = new Map(tsFiles(join(ROOT, dir)).map((f) => [f, importsOf(f)]));
      expect(graph.size).toBeGreaterThan(5);
      expect(cycles(graph)).toEqual([]);
    });
  }

  it('the cycle finder finds a circle (so the checks above can fail)', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts']],
      ['/d.ts', ['/a.ts']],
    ]);
    expect(cycles(graph)).toHaveLength(1);
  });

  it('the core imports no cdktf, constructs or provider package', () => {
    const offenders = tsFiles(join(ROOT, 'packages/core/src')).filter((f) => /from '(?:cdktf|constructs|@cdktf\/[^']*)'/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the core writes no Terraform address or expression: those are made in the app (terraform-names.ts)', () => {
    const terraformish = /aws_iam_[a-z_]+\.|\$\{(?:var|data|aws_)[^}]*\}|\bdata\.aws_/;
    const offenders = tsFiles(join(ROOT, 'packages/core/src')).filter((f) => terraformish.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
