import { describe, expect, it } from 'vitest';
import { readCloudLabels } from '../../src/cluster/cloud-labels';
import { clusterYaml, instanceRole, loadOne, specLines } from '../helpers';

function labels(...lines: string[]) {
  const { spec, report } = specLines('  cloudLabels:', ...lines);
  return { labels: readCloudLabels(spec, report), diagnostics: report.diagnostics };
}

describe('readCloudLabels', () => {
  it('keeps labels in the order written, with letters of any script and AWS punctuation', () => {
    expect(
      labels('    team: platform', '    "cost center": "CC 42"', '    owner/email: a+b@example.com', '    Étiquette: café=1:2_3.4-5'),
    ).toEqual({
      labels: [
        ['team', 'platform'],
        ['cost center', 'CC 42'],
        ['owner/email', 'a+b@example.com'],
        ['Étiquette', 'café=1:2_3.4-5'],
      ],
      diagnostics: [],
    });
  });

  it('has none when unset, and refuses a value that is not a mapping (KI409)', () => {
    const { spec, report } = specLines('  cloudProvider: aws');
    expect(readCloudLabels(spec, report)).toEqual([]);
    const bad = specLines('  cloudLabels: [a]');
    expect(readCloudLabels(bad.spec, bad.report)).toEqual([]);
    expect(bad.report.diagnostics).toMatchObject([
      { code: 'KI409', path: 'spec.cloudLabels', message: 'must be a map of tag key to value' },
    ]);
  });

  it.each([
    ['Name', "'Name' is a tag kops sets itself; choose another key"],
    ['KubernetesCluster', "'KubernetesCluster' is a tag kops sets itself; choose another key"],
    ['kubernetes.io/cluster/x', "tag keys starting 'kubernetes.io/cluster/' are kops' own; choose another key"],
    ['k8s.io/role/master', "tag keys starting 'k8s.io/role/' are kops' own; choose another key"],
    ['kops.k8s.io/instancegroup', "tag keys starting 'kops.k8s.io/' are kops' own; choose another key"],
    ['aws:createdBy', "tag keys starting 'aws:' are reserved by AWS"],
  ])('refuses the reserved key %s, at the key (KI409)', (key, message) => {
    expect(labels(`    ${key}: v`)).toEqual({
      labels: [],
      diagnostics: [
        expect.objectContaining({
          code: 'KI409',
          severity: 'error',
          line: 3,
          col: 5,
          path: `spec.cloudLabels${key.match(/^\w+$/) ? `.${key}` : `[${JSON.stringify(key)}]`}`,
          message,
        }),
      ],
    });
  });

  it('refuses keys over 128 characters and values over 256 (AWS tag limits)', () => {
    expect(labels(`    ${'k'.repeat(128)}: v`).diagnostics).toEqual([]);
    expect(labels(`    ${'k'.repeat(129)}: v`).diagnostics).toMatchObject([
      { code: 'KI409', col: 5, message: 'a tag key has 1-128 characters, this one 129' },
    ]);
    expect(labels(`    k: ${'v'.repeat(256)}`).diagnostics).toEqual([]);
    expect(labels(`    k: ${'v'.repeat(257)}`).diagnostics).toMatchObject([
      { code: 'KI409', col: 8, message: 'a tag value has at most 256 characters, this one 257' },
    ]);
  });

  it('refuses characters AWS does not allow in tags, in keys and in values', () => {
    expect(labels('    "a#b": v').diagnostics).toMatchObject([
      {
        code: 'KI409',
        col: 5,
        message: 'tag key "a#b" has a character AWS does not allow in tags (letters, digits, spaces and _ . : / = + - @ only)',
      },
    ]);
    expect(labels('    k: "line\\nbreak"', '    l: "x${y}"').diagnostics).toMatchObject([
      {
        code: 'KI409',
        line: 3,
        col: 8,
        message: 'tag value "line\\nbreak" has a character AWS does not allow in tags (letters, digits, spaces and _ . : / = + - @ only)',
      },
      {
        code: 'KI409',
        line: 4,
        col: 8,
        message: 'tag value "x${y}" has a character AWS does not allow in tags (letters, digits, spaces and _ . : / = + - @ only)',
      },
    ]);
  });

  it('refuses values that are not strings, saying what was written (KI409)', () => {
    expect(labels('    a: 12', '    b: no', '    c: {x: y}').diagnostics.map((d) => d.message)).toEqual([
      'a tag value must be a string, found the number 12; quote it',
      'a tag value must be a string, found the boolean no; quote it',
      'a tag value must be a string, found a mapping; quote it',
    ]);
  });
});

describe('cloud labels in the plan', () => {
  it("follow kops' own tags on roles, in the order written (complex reference case: cloudLabels on both roles)", async () => {
    const { plan } = await loadOne(clusterYaml('l.example.com', '  cloudLabels:\n    Owner: John Doe\n    foo/bar: fib+baz'));
    expect(instanceRole(plan, 'node').tags).toEqual([
      ['KubernetesCluster', 'l.example.com'],
      ['Name', 'nodes.l.example.com'],
      ['kubernetes.io/cluster/l.example.com', 'owned'],
      ['Owner', 'John Doe'],
      ['foo/bar', 'fib+baz'],
    ]);
  });
});
