import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_VERSION, policySize, policyTextSize, renderPolicy, renderPolicyText } from '../../src/policy/render';
import type { PolicyDocument, Ref, Statement } from '../../src/policy/statement';
import { loadPlans } from '../../src/load';
import { spellRef } from '../helpers';

const kops = { source: 'kops', rule: 'test' } as const;
const zone: Ref = { kind: 'hosted-zone-id' };
const oidc: Ref = { kind: 'oidc-provider-arn' };

function one(s: Omit<Statement, 'origin'>): string {
  return renderPolicyText({ statements: [{ ...s, origin: kops }] }, (r) => `<${r.kind}>`);
}

describe('renderPolicy', () => {
  it('writes compact IAM JSON with version 2012-10-17', () => {
    expect(POLICY_VERSION).toBe('2012-10-17');
    expect(renderPolicy({ statements: [] })).toEqual(['{"Version":"2012-10-17","Statement":[]}']);
    expect(one({ effect: 'Allow', action: { values: ['s3:GetObject'] }, resource: { values: ['*'] } })).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    );
  });

  it("writes a statement's keys in IAM's documented order: Sid, Effect, Principal, Action, Resource, Condition", () => {
    const text = one({
      sid: 'S1',
      effect: 'Deny',
      action: { values: ['s3:*'], not: true },
      resource: { values: ['arn:aws:s3:::b/*'], not: true },
      condition: [{ operator: 'Bool', entries: [{ key: 'aws:SecureTransport', values: [false], list: false }] }],
    });
    expect(text).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::b/*",' +
        '"Condition":{"Bool":{"aws:SecureTransport":false}}}]}',
    );
  });

  it('writes one value as a string unless it was written as a list, and several as a list', () => {
    const text = one({ effect: 'Allow', action: { values: ['a:B'], list: true }, resource: { values: ['x', 'y'] } });
    expect(text).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:B"],"Resource":["x","y"]}]}');
  });

  it('writes condition values as written: strings, booleans, numbers by their text, lists when written as lists', () => {
    const text = one({
      effect: 'Allow',
      action: { values: ['s3:ListBucket'] },
      resource: { values: ['*'] },
      condition: [
        {
          operator: 'NumericLessThan',
          entries: [
            { key: 's3:max-keys', values: [{ number: '1e400' }], list: false },
            { key: 'x:y', values: [{ number: '12' }, 'a', true], list: true },
            { key: 'x:one', values: ['only'], list: true },
          ],
        },
      ],
    });
    expect(text).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",' +
        '"Condition":{"NumericLessThan":{"s3:max-keys":1e400,"x:y":[12,"a",true],"x:one":["only"]}}}]}',
    );
  });

  it('writes a trust statement: a service principal, no Resource', () => {
    const text = one({
      effect: 'Allow',
      principal: { kind: 'service', services: ['ec2.amazonaws.com'] },
      action: { values: ['sts:AssumeRole'] },
    });
    expect(text).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    );
  });

  it('leaves references in place inside their JSON strings, with the plain text around them merged', () => {
    const parts = renderPolicy({
      statements: [
        {
          effect: 'Allow',
          principal: { kind: 'federated', provider: [oidc] },
          action: { values: ['route53:GetHostedZone'] },
          resource: { values: [['arn:aws:route53:::hostedzone/', zone]] },
          origin: kops,
        },
      ],
    });
    expect(parts).toEqual([
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"',
      oidc,
      '"},"Action":"route53:GetHostedZone","Resource":"arn:aws:route53:::hostedzone/',
      zone,
      '"}]}',
    ]);
  });

  it('escapes every plain part as JSON on its own, whatever the text holds', () => {
    const parts = renderPolicy({
      statements: [
        { effect: 'Allow', action: { values: ['s3:GetObject'] }, resource: { values: [['a"b\\c\n', zone, '${x}\u0007']] }, origin: kops },
      ],
    });
    expect(parts).toEqual([
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"a\\"b\\\\c\\n',
      zone,
      '${x}\\u0007"}]}',
    ]);
  });
});

describe('renderPolicyText', () => {
  it('spells each reference with the given function', () => {
    const text = renderPolicyText(
      {
        statements: [
          {
            effect: 'Allow',
            action: { values: ['kms:Decrypt'] },
            resource: { values: [[{ kind: 'kms-key-arn', lookup: 'alias', id: 'alias/etcd' }], [{ kind: 'account-id' }, ':x']] },
            origin: kops,
          },
        ],
      },
      (r) => (r.kind === 'kms-key-arn' ? `KMS(${r.id})` : `ACCOUNT`),
    );
    expect(text).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":["KMS(alias/etcd)","ACCOUNT:x"]}]}',
    );
  });
});

describe('policyTextSize', () => {
  /** What IAM counts for the text renderPolicyText writes, counted from that text. */
  const fromText = (doc: PolicyDocument, spell: (r: Ref) => string): number => policySize(renderPolicyText(doc, spell));

  it('is the size of the rendered text, for values that JSON escapes and whitespace IAM does not count', () => {
    const awkward = [
      'plain',
      'two words',
      'tab\there',
      'line\nbreak',
      'quote " and \\ backslash',
      'nul \u0000',
      'lone \ud800',
      '😀 pair',
      '',
    ];
    const spell = (r: Ref): string => (r.kind === 'hosted-zone-id' ? 'Z 1\t2' : `<${r.kind}>`);
    const doc: PolicyDocument = {
      statements: awkward.map((v, i) => ({
        sid: `S${i}`,
        effect: 'Allow',
        ...(i % 2 === 0 ? { principal: { kind: 'service', services: [v, 'ec2.amazonaws.com'] } } : {}),
        action: { values: [v], list: i % 3 === 0 },
        resource: { values: [[`arn:aws:route53:::hostedzone/${v}`, zone], v, ['x', oidc, ' y ']] },
        condition: [{ operator: 'StringEquals', entries: [{ key: `k ${v}`, values: [v, true, { number: '12' }], list: i % 2 === 1 }] }],
        origin: kops,
      })),
    };
    expect(policyTextSize(doc, spell)).toBe(fromText(doc, spell));
    for (const s of doc.statements) expect(policyTextSize({ statements: [s] }, spell)).toBe(fromText({ statements: [s] }, spell));
    expect(policyTextSize({ statements: [] }, spell)).toBe(fromText({ statements: [] }, spell));
  });

  it('is the size of the rendered text for every policy of every golden and kops reference case that plans', async () => {
    const fixtures = join(__dirname, '..', '..', '..', '..', 'test-fixtures');
    let policies = 0;
    for (const cases of [join(fixtures, 'cases'), join(fixtures, 'kops-reference', 'cases')])
      for (const name of readdirSync(cases)) {
        const files = readdirSync(join(cases, name))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort();
        const inputs = files.map((f) => ({ name: f, text: readFileSync(join(cases, name, f), 'utf8') }));
        const flags = join(cases, name, 'flags');
        const r = await loadPlans(inputs, existsSync(flags) ? { featureFlags: readFileSync(flags, 'utf8').trim() } : {});
        for (const { plan } of r.clusters)
          for (const role of plan.roles) {
            if (role.type !== 'managed') continue;
            for (const p of role.policies) {
              expect(policyTextSize(p.document, spellRef), `${name}: ${role.roleName} ${p.name}`).toBe(fromText(p.document, spellRef));
              policies += 1;
            }
          }
      }
    expect(policies).toBeGreaterThanOrEqual(200);
  });
});
