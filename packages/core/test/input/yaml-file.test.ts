import { describe, expect, it } from 'vitest';
import { Report } from '../../src/diagnostics/report';
import { MAX_ALIAS_EXPANSIONS, MAX_YAML_DEPTH } from '../../src/input/yaml-checks';
import { readYamlFile } from '../../src/input/yaml-file';
import { clusterYaml, codesOf, errorsOf, load, loadOne } from '../helpers';

function parse(text: string) {
  const report = new Report();
  const docs = [...readYamlFile({ name: 'in.yaml', text }, report)];
  return { docs, errors: errorsOf(report.diagnostics), diagnostics: report.diagnostics };
}

describe('readYamlFile: documents', () => {
  it('parses every document, keeping its index (empty documents counted), file and text range', () => {
    const text = 'a: 1\n---\n---\nb: 2\n';
    const { docs, errors } = parse(text);
    expect(errors).toEqual([]);
    expect(docs.map((d) => [d.file, d.index, d.root.kind])).toEqual([
      ['in.yaml', 0, 'map'],
      ['in.yaml', 2, 'map'],
    ]);
    // A document's text starts with its `---` marker.
    expect(text.slice(docs[1]?.start, docs[1]?.end)).toBe('---\nb: 2\n');
  });

  it('reads YAML 1.1 booleans as go-yaml (and so kops) does', () => {
    const root = parse('a: yes\nb: off\nc: "yes"\n').docs[0]?.root;
    expect([root?.get('a').scalar(), root?.get('b').scalar(), root?.get('c').scalar()]).toEqual([true, false, 'yes']);
  });

  it('skips empty documents such as a trailing ---', () => {
    const { docs, errors } = parse('a: 1\n---\n');
    expect(errors).toEqual([]);
    expect(docs).toHaveLength(1);
  });

  it.each(['', '\n\n', '# only\n# comments\n', '---\n---\n', '~\n'])('says a file with no document (%j) is empty (KI008)', (text) => {
    const { docs, errors } = parse(text);
    expect(docs).toEqual([]);
    expect(errors).toEqual([
      {
        code: 'KI008',
        severity: 'error',
        file: 'in.yaml',
        line: 1,
        col: 1,
        path: '',
        message: 'the file holds no YAML document (it is empty or only comments); expected a kops Cluster manifest',
      },
    ]);
  });

  it('accepts a byte-order mark, tabs inside values and CRLF line ends', () => {
    const { docs, errors } = parse('\ufeffa: "x\ty"\r\nb: 2\r\n');
    expect(errors).toEqual([]);
    expect(docs[0]?.root.get('a').scalar()).toBe('x\ty');
    expect(docs[0]?.root.get('b').scalar()).toBe(2);
  });

  it('reads a large file (5 MB) in reasonable time', () => {
    const text = `a:\n${'  - "some value with words in it"\n'.repeat(150_000)}`;
    const started = Date.now();
    const { docs, errors } = parse(text);
    expect(errors).toEqual([]);
    expect(docs[0]?.root.get('a').items()).toHaveLength(150_000);
    // A few seconds on an idle machine; the budget allows a busy CI host.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('readYamlFile: syntax errors', () => {
  it('names a duplicate key with its YAML path and the line of the first one (KI004)', () => {
    const { docs, errors } = parse('spec:\n  topology:\n    dns: a\n    dns: b\n');
    expect(docs).toEqual([]);
    expect(errors).toEqual([
      {
        code: 'KI004',
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
    expect(parse('spec:\n  subnets:\n  - zone: a\n    zone: b\n').errors).toMatchObject([
      { code: 'KI004', path: 'spec.subnets[0].zone', line: 4, col: 5 },
    ]);
  });

  it('points an unclosed quote at where the string starts, not at the end of the file (KI009)', () => {
    expect(parse('a: 1\nb: "never closed\nc: 3\nd: 4\n').errors).toEqual([
      expect.objectContaining({
        code: 'KI009',
        line: 2,
        col: 4,
        message: 'this quoted string is never closed (it runs to the end of the file); add the closing quote',
      }),
    ]);
    expect(parse("a: 1\nb: 'it''s\nc: 3\n").errors[0]).toMatchObject({ code: 'KI009', line: 2, col: 4 });
  });

  it('explains tabs used as indentation (KI003)', () => {
    expect(parse('a:\n\tb: 1\n').errors[0]).toMatchObject({
      code: 'KI003',
      line: 2,
      col: 1,
      message: expect.stringMatching(/^invalid YAML: .*Tabs are not allowed as indentation; YAML indents with spaces; replace the tab$/),
    });
  });

  it('reports every YAML error of a file, with a hint', () => {
    const { errors } = parse('a: b: c\nd: @e\n');
    expect(errors.map((e) => [e.code, e.line, e.col])).toEqual([
      ['KI003', 1, 4],
      ['KI003', 2, 4],
    ]);
    expect(errors[0]?.message).toMatch(/cannot start another key: value; move it to the next line, indented, or quote it$/);
    expect(errors[1]?.message).toMatch(/; quote the value$/);
  });

  // Guards a fixed bug (src/input/yaml-file.ts): an alias to an anchor that does not exist is read as null, silently; go-yaml (kops)
  // refuses it, and the old reader said "invalid YAML alias". See also load.test.ts for a permissions boundary lost this way.
  it('reports an alias to an anchor that does not exist', () => {
    expect(parse('a: 1\nb: *nope\n').errors).toMatchObject([{ code: 'KI003', line: 2, col: 4 }]);
  });
});

describe('readYamlFile: characters', () => {
  it('says a binary file is not UTF-8 text, at the first bad byte (KI001)', () => {
    const text = Buffer.from([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x1f, 0x8b, 0x08, 0x00]).toString('utf8');
    // 0x1f is a control character, but the bytes that are not UTF-8 make this binary first.
    expect(parse(text).errors).toMatchObject([
      {
        code: 'KI001',
        line: 2,
        col: 2,
        message: 'the file is not UTF-8 text (bytes that are not UTF-8 here); kops-iam reads YAML manifests, saved as UTF-8',
      },
    ]);
    expect(parse('a: 1\0\n').errors).toMatchObject([
      { code: 'KI001', line: 1, col: 5, message: expect.stringMatching(/\(a NUL byte here\)/) },
    ]);
  });

  it('names a control character YAML does not allow (KI002)', () => {
    expect(parse('a: 1\nb: b\u0007c\n').errors).toMatchObject([
      { code: 'KI002', line: 2, col: 5, message: 'control character U+0007 is not allowed in YAML; remove it' },
    ]);
  });
});

describe('readYamlFile: limits', () => {
  const flowList = (d: number) => `a: ${'['.repeat(d)}${']'.repeat(d)}\n`;
  const flowMap = (d: number) => `a: ${'{k: '.repeat(d)}1${'}'.repeat(d)}\n`;
  const blockMaps = (d: number) => `${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;

  it('takes nesting up to the limit and refuses one level more, at the collection that is too deep (KI005)', () => {
    // The root mapping is level 1, so `a:` holds MAX - 1 nested lists at most.
    expect(parse(flowList(MAX_YAML_DEPTH - 1)).errors).toEqual([]);
    const { docs, errors } = parse(flowList(MAX_YAML_DEPTH));
    expect(docs).toEqual([]);
    // The 64th '[' (offset 3 + 63) is the first collection too deep.
    expect(errors).toEqual([
      expect.objectContaining({ code: 'KI005', line: 1, col: 3 + MAX_YAML_DEPTH, message: expect.stringMatching(/nested too deeply/) }),
    ]);
    expect(parse(blockMaps(MAX_YAML_DEPTH)).errors).toEqual([]);
    expect(codesOf(parse(blockMaps(MAX_YAML_DEPTH + 1)).errors)).toEqual(['KI005']);
  });

  it.each([
    ['a flow list', flowList],
    ['a flow map', flowMap],
    ['block mappings', blockMaps],
  ])('refuses %s nested far deeper than the limit without overflowing the stack', (_what, nest) => {
    for (const depth of [MAX_YAML_DEPTH + 5, 1_000, 3_000, 20_000]) {
      const { docs, errors } = parse(nest(depth));
      expect(docs).toEqual([]);
      expect(errors.length, String(depth)).toBeGreaterThan(0);
      expect(
        errors.every((e) => e.code === 'KI005' && /nested too deeply/.test(e.message)),
        `${depth}: ${errors[0]?.message}`,
      ).toBe(true);
    }
  });

  it('refuses a "billion laughs" alias bomb at its first alias, in bounded time (KI006)', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
      ['i', 'h'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const { docs, errors } = parse(`${lines.join('\n')}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(docs).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'KI006',
        line: 2,
        col: 8,
        message:
          `YAML aliases expand too much (more than ${MAX_ALIAS_EXPANSIONS} expansions); refusing a possible "billion laughs" ` +
          `document — write the values out instead`,
      }),
    ]);
  });

  it('refuses a 1 MB alias-amplification file quickly instead of running out of memory', () => {
    const anchors = ['a0: &a0 x'];
    for (let i = 1; i < 40; i += 1)
      anchors.push(
        `a${i}: &a${i} [${Array(2)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `${anchors.join('\n')}\nzz: *a39\n${'# padding\n'.repeat(100_000)}`;
    const started = Date.now();
    const { errors } = parse(text);
    expect(codesOf(errors)).toEqual(['KI006']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it(`counts alias expansions: ${MAX_ALIAS_EXPANSIONS} are fine, one more is not`, () => {
    const uses = (n: number) => `x: &x v\nl: [${Array(n).fill('*x').join(', ')}]\n`;
    expect(parse(uses(MAX_ALIAS_EXPANSIONS)).errors).toEqual([]);
    expect(codesOf(parse(uses(MAX_ALIAS_EXPANSIONS + 1)).errors)).toEqual(['KI006']);
  });

  it('accepts a few ordinary aliases', () => {
    expect(parse('a: &x {k: v}\nb: *x\n').errors).toEqual([]);
  });

  it("refuses the key '__proto__', at the key, with its path (KI007), and pollutes nothing", () => {
    const { docs, errors } = parse('spec:\n  x:\n    __proto__:\n      polluted: true\n');
    expect(docs).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'KI007',
        line: 3,
        col: 5,
        path: 'spec.x.__proto__',
        message: "the key '__proto__' is not allowed in a kops manifest (it could alter JavaScript objects); remove it",
      }),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a quoted '__proto__' key too", () => {
    expect(parse('a:\n  "__proto__": 1\n').errors).toMatchObject([{ code: 'KI007', line: 2, col: 3, path: 'a.__proto__' }]);
  });
});

describe('merge keys (<<), as go-yaml and so kops follow them', () => {
  it('are followed: merged keys are read, keys written in the mapping win', () => {
    const { docs, errors } = parse('base: &b {one: 1, two: 1}\nm:\n  <<: *b\n  two: 2\n');
    expect(errors).toEqual([]);
    const m = docs[0]?.root.get('m');
    expect([m?.get('one').scalar(), m?.get('two').scalar()]).toEqual([1, 2]);
    expect(m?.entries().map((e) => [e.key, e.value.scalar()])).toEqual([
      ['two', 2],
      ['one', 1],
    ]);
  });

  it('follow a list of merged mappings, the first one winning, and leave a quoted "<<" an ordinary key', () => {
    const { docs } = parse('a: &a {k: from-a}\nb: &b {k: from-b, l: from-b}\nm:\n  <<: [*a, *b]\nq:\n  "<<": *a\n');
    const m = docs[0]?.root.get('m');
    expect([m?.get('k').scalar(), m?.get('l').scalar()]).toEqual(['from-a', 'from-b']);
    const q = docs[0]?.root.get('q');
    expect([q?.get('k').present, q?.get('<<').get('k').scalar()]).toEqual([false, 'from-a']);
  });

  it('bring a spec written elsewhere in the document into the cluster', async () => {
    const text = [
      'apiVersion: kops.k8s.io/v1alpha2',
      'kind: Cluster',
      'common: &common',
      '  cloudProvider: aws',
      '  subnets:',
      '  - name: a',
      '    zone: ap-south-1a',
      'metadata:',
      '  name: merged.example.com',
      'spec:',
      '  <<: *common',
      '  iam:',
      '    permissionsBoundary: arn:aws:iam::123456789012:policy/boundary',
    ].join('\n');
    const { plan } = await loadOne(text);
    expect(plan.region).toBe('ap-south-1');
    expect(plan.roles.map((r) => (r.type === 'managed' ? r.permissionsBoundary : undefined))).toEqual([
      'arn:aws:iam::123456789012:policy/boundary',
      'arn:aws:iam::123456789012:policy/boundary',
    ]);
  });
});

describe('bad files through loadPlans', () => {
  // Guards a fixed bug (src/input/yaml-file.ts, `!report.hasErrors` in readYamlFile): an empty file is not reported when an
  // earlier file of the input had an error, because the check looks at the whole run's report, not this file's.
  it('reports an empty file even after a file with errors', () => {
    const report = new Report();
    expect([...readYamlFile({ name: 'a.yaml', text: 'a: [\n' }, report)]).toEqual([]);
    expect([...readYamlFile({ name: 'b.yaml', text: '' }, report)]).toEqual([]);
    expect(report.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['a.yaml', 'KI003'],
      ['b.yaml', 'KI008'],
    ]);
  });

  it('reports the problems of every file, and nothing is planned', async () => {
    const { loadPlans } = await import('../../src/load');
    const r = await loadPlans([
      { name: 'a.yaml', text: 'a: [\n' },
      { name: 'b.yaml', text: '' },
      { name: 'c.yaml', text: clusterYaml('ok.example.com') },
    ]);
    expect(r.ok).toBe(false);
    expect(r.clusters).toEqual([]);
    expect(errorsOf(r.diagnostics).map((e) => [e.file, e.code])).toEqual([
      ['a.yaml', 'KI003'],
      ['b.yaml', 'KI008'],
    ]);
  });

  it('says a document that is not a mapping is not a manifest (KI101)', async () => {
    const r = await load('- a\n- b\n');
    expect(errorsOf(r.diagnostics).map((e) => [e.code, e.message])).toEqual([
      ['KI101', 'a document must be a mapping (a kops Cluster or InstanceGroup manifest), found a list'],
    ]);
  });
});
