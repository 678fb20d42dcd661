import { describe, expect, it } from 'vitest';
import { yamlRoot } from '../helpers';

describe('YamlNode', () => {
  const text = [
    'metadata:',
    '  name: n.example.com',
    '  labels:',
    '    kops.k8s.io/cluster: c.example.com',
    'spec:',
    '  flag: no',
    '  quoted: "no"',
    '  list:',
    '  - a',
    '  - {k: v}',
    '  empty:',
    '  block: |',
    '    text',
    '',
  ].join('\n');
  const { root } = yamlRoot(text);

  it('gives kinds, paths and positions; a missing key is positioned at its parent', () => {
    const spec = root.get('spec');
    expect([spec.kind, spec.path, spec.pos.line, spec.pos.col]).toEqual(['map', 'spec', 6, 3]);
    const missing = spec.at('iam', 'legacy');
    expect([missing.kind, missing.present, missing.unset, missing.path, missing.pos.line]).toEqual([
      'missing',
      false,
      true,
      'spec.iam.legacy',
      6,
    ]);
    const empty = spec.get('empty');
    expect([empty.kind, empty.present, empty.unset]).toEqual(['null', true, true]);
  });

  it('quotes keys that are not plain identifiers in paths', () => {
    const label = root.at('metadata', 'labels', 'kops.k8s.io/cluster');
    expect([label.path, label.string(), label.pos.line, label.pos.col]).toEqual([
      'metadata.labels["kops.k8s.io/cluster"]',
      'c.example.com',
      4,
      26,
    ]);
  });

  it('keeps the text of a scalar as written beside its YAML 1.1 value', () => {
    const flag = root.at('spec', 'flag');
    expect([flag.scalar(), flag.text(), flag.string(), flag.scalarType]).toEqual([false, 'no', undefined, 'PLAIN']);
    const quoted = root.at('spec', 'quoted');
    expect([quoted.scalar(), quoted.text(), quoted.scalarType]).toEqual(['no', 'no', 'QUOTE_DOUBLE']);
    expect(root.at('spec', 'block').scalarType).toBe('BLOCK_LITERAL');
    expect(root.get('spec').scalar()).toBeUndefined();
  });

  it('lists items with their index in the path and entries with their key positions', () => {
    const items = root.at('spec', 'list').items();
    expect(items.map((i) => [i.path, i.kind, i.pos.line])).toEqual([
      ['spec.list[0]', 'scalar', 9],
      ['spec.list[1]', 'map', 10],
    ]);
    expect(
      root
        .get('metadata')
        .entries()
        .map((e) => [e.key, e.keyPos.line, e.keyPos.col, e.keyAt.path]),
    ).toEqual([
      ['name', 2, 3, 'metadata.name'],
      ['labels', 3, 3, 'metadata.labels'],
    ]);
    expect(root.at('metadata', 'name').items()).toEqual([]);
    expect(root.at('spec', 'list').entries()).toEqual([]);
  });

  it('follows aliases to their anchors', () => {
    const { root: r } = yamlRoot('a: &x {k: v}\nb: *x\n');
    expect([r.at('b', 'k').string(), r.at('b', 'k').path]).toEqual(['v', 'b.k']);
  });
});
