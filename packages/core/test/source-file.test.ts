import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../src/diagnostics';
import { MAX_YAML_DEPTH, parseYamlFile, SourceFile, yamlDocuments } from '../src/source-file';
import { clusterYaml, errorsOf, load } from './helpers';

function parse(text: string) {
  const diagnostics = new Diagnostics();
  const docs = parseYamlFile(new SourceFile('in.yaml', text), diagnostics);
  return { docs, errors: errorsOf(diagnostics.list()) };
}

describe('SourceFile', () => {
  it('gives 1-based lines and columns of offsets, clamped to the text', () => {
    const f = new SourceFile('x.yaml', 'ab\ncd\n');
    expect(f.position(0)).toEqual({ file: 'x.yaml', line: 1, col: 1 });
    expect(f.position(4)).toEqual({ file: 'x.yaml', line: 2, col: 2 });
    expect(f.position(-5)).toEqual({ file: 'x.yaml', line: 1, col: 1 });
    expect(f.position(999)).toEqual({ file: 'x.yaml', line: 3, col: 1 });
    expect(f.lineStart(2)).toBe(3);
  });
});

describe('parseYamlFile', () => {
  it('parses every document, keeping its index', () => {
    const { docs, errors } = parse('a: 1\n---\nb: 2\n');
    expect(errors).toEqual([]);
    expect(docs.map((d) => [d.index, d.root.kind])).toEqual([
      [0, 'map'],
      [1, 'map'],
    ]);
  });

  it('reads YAML 1.1 booleans as go-yaml (and so kops) does', () => {
    expect(parse('a: yes\nb: off\n').docs[0]!.root.get('a').scalar()).toBe(true);
  });

  it('skips empty documents such as a trailing ---', () => {
    const { docs, errors } = parse('a: 1\n---\n');
    expect(errors).toEqual([]);
    expect(docs).toHaveLength(1);
  });

  it.each(['', '\n\n', '# only\n# comments\n', '---\n---\n', '~\n'])('says a file with no document (%j) is empty', (text) => {
    const { docs, errors } = parse(text);
    expect(docs).toEqual([]);
    expect(errors).toMatchObject([{ line: 1, col: 1, message: 'the file holds no YAML document (it is empty or only comments); expected a kops Cluster manifest' }]);
  });

  it('names a duplicate key with its YAML path and the line of the first one', () => {
    const { docs, errors } = parse('spec:\n  topology:\n    dns: a\n    dns: b\n');
    expect(docs).toEqual([]);
    expect(errors).toEqual([
      {
        severity: 'error',
        file: 'in.yaml',
        line: 4,
        col: 5,
        path: 'spec.topology.dns',
        message: "duplicate key 'dns' in a mapping (first at line 3); kops would keep only one of them: merge them or delete one",
      },
    ]);
  });

  it('gives the path of a duplicate key inside a list', () => {
    expect(parse('spec:\n  subnets:\n  - zone: a\n    zone: b\n').errors[0]).toMatchObject({ path: 'spec.subnets[0].zone', line: 4, col: 5 });
  });

  it('refuses __proto__ keys, at the key, with their path', () => {
    const { docs, errors } = parse('spec:\n  x:\n    __proto__:\n      polluted: true\n');
    expect(docs).toHaveLength(1);
    expect(errors).toMatchObject([{ line: 3, col: 5, path: 'spec.x.__proto__', message: expect.stringMatching(/^the key '__proto__' is not allowed/) }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a "billion laughs" alias bomb at its first alias, quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const { docs, errors } = parse(`${lines.join('\n')}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(docs).toEqual([]);
    expect(errors).toMatchObject([{ line: 2, col: 8, message: expect.stringMatching(/aliases expand too much .* "billion laughs"/) }]);
  });

  it('accepts a few ordinary aliases', () => {
    expect(parse('a: &x {k: v}\nb: *x\n').errors).toEqual([]);
  });

  it('reports an alias to an anchor that does not exist', () => {
    expect(parse('a: 1\nb: *nope\n').errors[0]!.message).toMatch(/^invalid YAML alias: /);
  });

  it.each([
    ['a flow list', (d: number) => `a: ${'['.repeat(d)}${']'.repeat(d)}\n`],
    ['a flow map', (d: number) => `a: ${'{k: '.repeat(d)}1${'}'.repeat(d)}\n`],
    ['block mappings', (d: number) => Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n'],
  ])('refuses %s nested deeper than the limit, at any depth, without overflowing the stack', (_what, nest) => {
    expect(parse(nest(MAX_YAML_DEPTH - 2)).errors).toEqual([]);
    for (const depth of [MAX_YAML_DEPTH + 5, 1_000, 3_000, 20_000]) {
      const { docs, errors } = parse(nest(depth));
      expect(docs).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => /nested too deeply/.test(e.message)), `${depth}: ${errors[0]?.message}`).toBe(true);
    }
  });

  it('says a binary file is not UTF-8 text, at the first bad byte', () => {
    const text = Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x1f, 0x8b, 0x08, 0x00]).toString('utf8');
    expect(parse(text).errors).toMatchObject([{ line: 2, col: 2, message: 'the file is not UTF-8 text (bytes that are not UTF-8 here); kops-iam reads YAML manifests, saved as UTF-8' }]);
    expect(parse('a: 1\0\n').errors).toMatchObject([{ line: 1, col: 5, message: expect.stringMatching(/a NUL byte here/) }]);
  });

  it('names a control character YAML does not allow', () => {
    expect(parse('a: b\u0007c\n').errors).toMatchObject([{ line: 1, col: 5, message: 'control character U+0007 is not allowed in YAML; remove it' }]);
  });

  it('accepts a byte-order mark, tabs inside values and CRLF line ends', () => {
    const { docs, errors } = parse('\ufeffa: "x\ty"\r\nb: 2\r\n');
    expect(errors).toEqual([]);
    expect(docs[0]!.root.get('b').scalar()).toBe(2);
  });

  it('points an unclosed quote at where the string starts, not at the end of the file', () => {
    expect(parse('a: 1\nb: "never closed\nc: 3\nd: 4\n').errors).toEqual([
      expect.objectContaining({ line: 2, col: 4, message: 'this quoted string is never closed (it runs to the end of the file); add the closing quote' }),
    ]);
    expect(parse("a: 1\nb: 'it''s\nc: 3\n").errors[0]).toMatchObject({ line: 2, col: 4 });
  });

  it('explains tabs used as indentation', () => {
    expect(parse('a:\n\tb: 1\n').errors[0]).toMatchObject({ line: 2, col: 1, message: expect.stringMatching(/Tabs are not allowed as indentation; YAML indents with spaces/) });
  });

  it('reports every YAML error of a file, with a hint', () => {
    const { errors } = parse('a: b: c\nd: @e\n');
    expect(errors.map((e) => [e.line, e.col])).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(errors[0]!.message).toMatch(/cannot start another key: value/);
    expect(errors[1]!.message).toMatch(/quote the value$/);
  });

  it('reads a large file (5 MB) in reasonable time', () => {
    const text = `a:\n${'  - "some value with words in it"\n'.repeat(150_000)}`;
    const started = Date.now();
    const { docs, errors } = parse(text);
    expect(errors).toEqual([]);
    expect(docs).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('bad files through loadPlans', () => {
  it('reports the problems of every file, and nothing is planned', async () => {
    const { loadPlans } = await import('../src/load');
    const r = await loadPlans([
      { name: 'a.yaml', text: 'a: [\n' },
      { name: 'b.yaml', text: '' },
      { name: 'c.yaml', text: clusterYaml('ok.example.com') },
    ]);
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
    expect([...new Set(errorsOf(r.diagnostics).map((e) => e.file))]).toEqual(['a.yaml', 'b.yaml']);
  });

  it('says a document that is not a mapping is not a manifest', async () => {
    const r = await load('- a\n- b\n');
    expect(errorsOf(r.diagnostics).map((e) => e.message)).toEqual(['a document must be a mapping (a kops Cluster or InstanceGroup manifest), found a list']);
  });
});

describe('yamlDocuments', () => {
  it('hands out each document before reading the next, so a large file is never held whole', () => {
    const diagnostics = new Diagnostics();
    const docs = yamlDocuments(new SourceFile('in.yaml', 'a: 1\n---\nb: [\n'), diagnostics);
    const first = docs.next();
    expect(first.done).toBe(false);
    expect(diagnostics.errorCount).toBe(0);
    expect(docs.next().done).toBe(true);
    expect(errorsOf(diagnostics.list())).toHaveLength(1);
    expect(diagnostics.list()[0]).toMatchObject({ line: 4, col: 1 }); // the unclosed [ is found at the end of the text
  });
});

describe('yamlDocuments on a file read in pieces', () => {
  const cases = join(__dirname, '..', '..', '..', 'test-fixtures', 'cases');
  // Every fixture input, valid or broken, except those refused for a bad character: which
  // of two bad characters is found first can depend on where the pieces are cut.
  const inputs = readdirSync(cases)
    .flatMap((c) => readdirSync(join(cases, c)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(c, f)))
    .map((f) => ({ f, text: readFileSync(join(cases, f), 'utf8') }))
    .filter(({ text }) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text));

  /** Each document's index, tree and position, taken as it is handed out (its text may go after). */
  function read(source: SourceFile, pieces: string[]) {
    const diagnostics = new Diagnostics();
    const docs: unknown[] = [];
    for (const d of yamlDocuments(source, diagnostics, pieces)) docs.push([d.index, JSON.stringify(d.root.node), d.root.pos]);
    return { docs, diagnostics: diagnostics.list() };
  }

  it('finds the same documents and the same diagnostics, at the same positions, however the text is cut', () => {
    expect(inputs.length).toBeGreaterThan(60);
    for (const { f, text } of inputs) {
      const whole = read(new SourceFile(f, text), []);
      for (const size of [1, 7, 64]) {
        const pieces = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
        expect(read(new SourceFile(f), pieces), `${f} in pieces of ${size}`).toEqual(whole);
      }
    }
  });

  it('lets go of the text of documents already handed out', () => {
    const text = ['a: 1', '---', 'b: 2', '---', 'c: 3', ''].join('\n');
    const source = new SourceFile('in.yaml');
    const held: string[] = [];
    // What is held while a document is read starts with that document.
    for (const d of yamlDocuments(source, new Diagnostics(), [text])) held.push(`${d.index}@${source.base}:${source.text.slice(0, 8)}`);
    expect(held).toEqual(['0@0:a: 1\n---', '1@5:---\nb: 2', '2@14:---\nc: 3']);
    expect(source.text).toBe('');
    expect(source.position(source.base)).toEqual({ file: 'in.yaml', line: 6, col: 1 });
  });
});
