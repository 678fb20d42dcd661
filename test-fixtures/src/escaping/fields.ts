import { hostilePrintable, hostileString, jsonQuoted, yamlQuoted } from '../hostile-strings';
import { chance, int, type Random } from '../prng';
import type { EvaluatedStack, Json } from '../terraform-stack-eval';
import { jsonPolicy, yamlPolicy, type Slots } from './manifests';
import { attachmentArns, policyStatements, roleArgs, type Statement } from './stack-queries';

/** A manifest field whose strings reach the output, and where its value must come out. */
export interface Field {
  readonly name: string;
  /** The legacy cluster (else the strict one). */
  readonly legacy?: boolean;
  /** A value for the field, from random hostile pieces. */
  readonly value: (r: Random) => string;
  /** A value holding every template atom, for the field's shape. */
  readonly wrap: (text: string) => string;
  readonly slots: (value: string, base: Slots) => Slots;
  /** Problems when the stack does not hold the value literally where it belongs. */
  readonly check: (value: string, stack: EvaluatedStack) => string[];
  /** True when the field takes text with template syntax in it (the property is then not vacuous there). */
  readonly takesTemplateText: boolean;
  /** True for IAM paths, which take printable ASCII only: the fixed values keep to it. */
  readonly printable?: boolean;
}

const jq = jsonQuoted;
const q = yamlQuoted;
const id = (s: string) => s;
/** IAM paths take printable ASCII; sometimes anything, to see the error. */
const pathText = (r: Random) => (chance(r, 0.8) ? hostilePrintable(r) : hostileString(r));

function expectThat(ok: boolean, what: string, value: string, found: unknown): string[] {
  return ok ? [] : [`${what}: expected ${JSON.stringify(value)}, found ${JSON.stringify(found)?.slice(0, 600)}`];
}

/** A check that some statement of a policy (by name prefix) satisfies `test`. */
function statementCheck(policyPrefix: string, what: string, test: (s: Statement, v: string) => boolean) {
  return (v: string, stack: EvaluatedStack) => {
    const statements = policyStatements(stack, policyPrefix);
    return expectThat(
      statements.some((s) => test(s, v)),
      what,
      v,
      statements,
    );
  };
}

const hasResource = (s: Statement, v: string) => s.Resource === v || (Array.isArray(s.Resource) && s.Resource.includes(v));
const conditionValue = (s: Statement, v: string) => s.Condition?.StringEquals?.['aws:PrincipalTag/team'] === v;

const nodeStatement = (member: readonly [string, string]) => (v: string, s: Slots) => ({ ...s, nodePolicy: jsonPolicy([member]) });

const POLICY_FIELDS: Field[] = [
  {
    name: 'additionalPolicies Resource (JSON)',
    value: (r) => `arn:aws:s3:::esc-bucket/${hostileString(r)}`,
    wrap: (t) => `arn:aws:s3:::esc-bucket/${t}`,
    slots: (v, s) => nodeStatement(['"Resource": ', jq(v)])(v, s),
    check: statementCheck('additional.nodes.', 'Resource', hasResource),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies Resource (YAML list)',
    value: (r) => `arn:aws:s3:::esc-bucket/${hostileString(r)}`,
    wrap: (t) => `arn:aws:s3:::esc-bucket/${t}`,
    slots: (v, s) => ({ ...s, nodePolicy: yamlPolicy([['Resource: ', q(v)]]) }),
    check: statementCheck('additional.nodes.', 'Resource', hasResource),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies NotResource',
    value: (r) => `arn:aws:s3:::esc-bucket/${hostileString(r)}`,
    wrap: (t) => `arn:aws:s3:::esc-bucket/${t}`,
    slots: (v, s) => nodeStatement(['"NotResource": ', jq(v)])(v, s),
    check: statementCheck('additional.nodes.', 'NotResource', (s, v) => s.NotResource === v),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies Condition value (JSON)',
    value: (r) => hostileString(r),
    wrap: id,
    slots: (v, s) => ({
      ...s,
      nodePolicy: jsonPolicy([
        ['"Resource": ', '"*"'],
        ['"Condition": {"StringEquals": {"aws:PrincipalTag/team": ', `${jq(v)}}}`],
      ]),
    }),
    check: statementCheck('additional.nodes.', 'Condition value', conditionValue),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies Condition value (YAML list)',
    value: (r) => hostileString(r),
    wrap: id,
    slots: (v, s) => ({
      ...s,
      nodePolicy: yamlPolicy([
        ['Resource: ', '"*"'],
        ['Condition: {StringEquals: {"aws:PrincipalTag/team": ', `${q(v)}}}`],
      ]),
    }),
    check: statementCheck('additional.nodes.', 'Condition value', conditionValue),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies Condition key',
    value: (r) => `aws:PrincipalTag/${hostileString(r)}`,
    wrap: (t) => `aws:PrincipalTag/${t}`,
    slots: (v, s) => ({
      ...s,
      nodePolicy: jsonPolicy([
        ['"Resource": ', '"*"'],
        ['"Condition": {"StringEquals": {', `${jq(v)}: "x"}}`],
      ]),
    }),
    check: statementCheck('additional.nodes.', 'Condition key', (s, v) => s.Condition?.StringEquals?.[v] === 'x'),
    takesTemplateText: true,
  },
  {
    name: 'additionalPolicies Sid',
    value: (r) => (chance(r, 0.2) ? `Sid${int(r, 1000)}` : hostileString(r)),
    wrap: id,
    slots: (v, s) => ({
      ...s,
      nodePolicy: jsonPolicy([
        ['"Resource": ', '"*"'],
        ['"Sid": ', jq(v)],
      ]),
    }),
    check: statementCheck('additional.nodes.', 'Sid', (s, v) => s.Sid === v),
    takesTemplateText: false,
  },
  {
    name: 'additionalPolicies Action',
    value: (r) => `s3:Get${hostileString(r)}`,
    wrap: (t) => `s3:Get${t}`,
    slots: (v, s) => ({ ...s, nodePolicy: jsonPolicy([['"Resource": ', '"*"']], jq(v)) }),
    check: statementCheck('additional.nodes.', 'Action', (s, v) => s.Action === v),
    takesTemplateText: false,
  },
];

const SA_POLICY = 'app.default.sa.';

const STRICT_FIELDS: Field[] = [
  {
    name: 'serviceAccountExternalPermissions inlinePolicy Resource',
    value: (r) => `arn:aws:s3:::esc-sa/${hostileString(r)}`,
    wrap: (t) => `arn:aws:s3:::esc-sa/${t}`,
    slots: (v, s) => ({ ...s, saResource: v }),
    check: statementCheck(SA_POLICY, 'Resource', hasResource),
    takesTemplateText: true,
  },
  {
    name: 'serviceAccountExternalPermissions inlinePolicy Condition value',
    value: (r) => hostileString(r),
    wrap: id,
    slots: (v, s) => ({ ...s, saCondition: v }),
    check: statementCheck(SA_POLICY, 'Condition value', conditionValue),
    takesTemplateText: true,
  },
  {
    name: 'serviceAccountExternalPermissions policyARNs path',
    printable: true,
    value: (r) => `arn:aws:iam::123456789012:policy/${pathText(r)}/sa-policy`,
    wrap: (t) => `arn:aws:iam::123456789012:policy/${t}/sa-policy`,
    slots: (v, s) => ({ ...s, saPolicyArn: v }),
    check: (v, st) => expectThat(attachmentArns(st).includes(v), 'attachment', v, attachmentArns(st)),
    takesTemplateText: true,
  },
  {
    name: 'externalPolicies path',
    printable: true,
    value: (r) => `arn:aws:iam::123456789012:policy/${pathText(r)}/node-policy`,
    wrap: (t) => `arn:aws:iam::123456789012:policy/${t}/node-policy`,
    slots: (v, s) => ({ ...s, externalPolicy: v }),
    check: (v, st) => expectThat(attachmentArns(st).includes(v), 'attachment', v, attachmentArns(st)),
    takesTemplateText: true,
  },
  {
    name: 'permissionsBoundary path',
    printable: true,
    value: (r) => `arn:aws:iam::123456789012:policy/${pathText(r)}/boundary`,
    wrap: (t) => `arn:aws:iam::123456789012:policy/${t}/boundary`,
    slots: (v, s) => ({ ...s, boundary: v }),
    check: (v, st) => {
      const found = roleArgs(st).map((r) => r.permissions_boundary);
      return expectThat(found.length > 0 && found.every((b) => b === v), 'permissions_boundary of every role', v, found);
    },
    takesTemplateText: true,
  },
  ...labelFields(),
];

function labelFields(): Field[] {
  const tagsHave = (key: (v: string) => string, value: (v: string) => string) => (v: string, st: EvaluatedStack) => {
    const tags = roleArgs(st).map((r) => (r.tags ?? {}) as Record<string, Json>);
    return expectThat(tags.length > 0 && tags.every((t) => t[key(v)] === value(v)), 'a tag of every role', v, tags[0]);
  };
  return [
    {
      name: 'cloudLabels key',
      value: (r) => hostileString(r),
      wrap: id,
      slots: (v, s) => ({ ...s, labelKey: v }),
      check: tagsHave(id, () => 'platform'),
      takesTemplateText: false,
    },
    {
      name: 'cloudLabels value',
      value: (r) => hostileString(r),
      wrap: id,
      slots: (v, s) => ({ ...s, labelValue: v }),
      check: tagsHave(() => 'team', id),
      takesTemplateText: false,
    },
  ];
}

export { POLICY_FIELDS, STRICT_FIELDS, expectThat, pathText };
