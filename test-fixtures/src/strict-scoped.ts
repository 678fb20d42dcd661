import { allowedIf, otherCluster, requestTagging, sampleArn, taggedWith, type Row, type World } from './matrix-row';
import type { RequestContext } from './simulate';
import type { Expectation } from './strict-grants';
import { OTHER_ZONE_ID, TEST_ACCOUNT } from './test-world';

/** Strict rows of resources named by ARN: Route53 zones (dns-controller, cert-manager), Karpenter's launches. */

const ACME = {
  'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.app.example.com'],
  'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
};
const A_RECORD = {
  'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.app.example.com'],
  'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
};

/** Route53: dns-controller changes the cluster's zone only; cert-manager only ACME TXT records in its zones. */
export function route53Rows(e: Expectation, w: World): Row[] {
  const zone = (id: string) => `arn:${w.partition}:route53:::hostedzone/${id}`;
  const dnsZone = e.dns?.zone;
  const certZones = e.certManagerZones ?? [];
  const dns = (id: string) => dnsZone !== undefined && id === dnsZone;
  const cert = (id: string) => certZones.includes(id);
  const zones = [...new Set([...(dnsZone !== undefined ? [dnsZone] : []), ...certZones, OTHER_ZONE_ID])];
  const rows: Row[] = [];
  for (const id of zones) {
    const r = zone(id);
    const add = (action: string, allowed: boolean, why: string, context?: RequestContext) =>
      rows.push({
        request: { action, resource: r, ...(context !== undefined ? { context } : {}) },
        expected: allowedIf(allowed),
        why: `zone ${id}: ${why}`,
      });
    add('route53:ChangeResourceRecordSets', dns(id) || cert(id), 'an ACME TXT record (cert-manager)', ACME);
    add('route53:ChangeResourceRecordSets', dns(id), 'an A record', A_RECORD);
    add('route53:ListResourceRecordSets', dns(id) || cert(id), 'list records');
    add('route53:GetHostedZone', dns(id), 'read the zone');
    add('route53:ListTagsForResource', dnsZone !== undefined, 'read its tags');
    add('route53:DeleteHostedZone', false, 'never delete a zone');
  }
  const dnsOn = dnsZone !== undefined;
  const change = `arn:${w.partition}:route53:::change/C0123456789ABCDEF`;
  rows.push(
    {
      request: { action: 'route53:GetChange', resource: change },
      expected: allowedIf(dnsOn || certZones.length > 0),
      why: 'follow a change',
    },
    { request: { action: 'route53:ListHostedZones', resource: '*' }, expected: allowedIf(dnsOn), why: 'list zones (dns-controller)' },
    {
      request: { action: 'route53:ListHostedZonesByName', resource: '*' },
      expected: allowedIf(certZones.length > 0),
      why: 'find zones (cert-manager)',
    },
    { request: { action: 'route53:CreateHostedZone', resource: '*' }, expected: 'ImplicitlyDenied', why: 'never create zones' },
  );
  return rows;
}

const np = {
  request: { 'aws:RequestTag/karpenter.sh/nodepool': 'default' },
  resource: { 'aws:ResourceTag/karpenter.sh/nodepool': 'default' },
};

/**
 * Karpenter launches and terminates the cluster's nodes only: new instances must be tagged
 * with the cluster and a node pool, it terminates only instances carrying both tags, and it
 * passes only the node role, only to EC2.
 */
export async function karpenterRows(e: Expectation, w: World, nodeRole: string, ec2Principal: string): Promise<Row[]> {
  if (e.karpenter === undefined) return [];
  const [instance, template, image, subnet, fleet] = await Promise.all(
    ['instance', 'launch-template', 'image', 'subnet', 'fleet'].map((t) => sampleArn(w, 'ec2', t)),
  );
  const c = w.cluster;
  const ours = { ...taggedWith(c), ...np.resource };
  const newOurs = { ...requestTagging(c), ...np.request };
  const row = (action: string, resource: string | undefined, context: RequestContext, allowed: boolean, why: string): Row => ({
    request: { action, resource: resource ?? '*', context },
    expected: allowedIf(allowed),
    why: `karpenter: ${why}`,
  });
  const role = (name: string) => `arn:${w.partition}:iam::${TEST_ACCOUNT}:role/${name}`;
  return [
    row('ec2:TerminateInstances', instance, ours, true, 'a node it launched (cluster and node-pool tags)'),
    row(
      'ec2:TerminateInstances',
      instance,
      taggedWith(c),
      false,
      'an instance of the cluster without a node pool (control plane, kops nodes)',
    ),
    row('ec2:TerminateInstances', instance, { ...otherCluster.tagged, ...np.resource }, false, "another cluster's node"),
    row('ec2:TerminateInstances', instance, {}, false, 'an untagged instance'),
    row('ec2:RunInstances', instance, newOurs, true, 'a new node tagged with the cluster and a node pool'),
    row('ec2:RunInstances', instance, requestTagging(c), false, 'a new instance without a node pool'),
    row('ec2:RunInstances', instance, { ...otherCluster.requested, ...np.request }, false, 'a new instance of another cluster'),
    row('ec2:RunInstances', image, {}, true, 'from an image'),
    row('ec2:RunInstances', subnet, {}, true, 'into a subnet'),
    row('ec2:RunInstances', template, ours, true, 'from its own launch template'),
    row('ec2:RunInstances', template, taggedWith(c), false, "from a launch template of kops' (no node pool)"),
    row('ec2:CreateFleet', fleet, newOurs, true, 'a fleet for a node pool'),
    row('ec2:CreateFleet', image, {}, true, 'a fleet from an image'),
    row('ec2:CreateFleet', template, ours, true, 'a fleet from its own launch template'),
    row('ec2:CreateFleet', template, taggedWith(c), false, "a fleet from a launch template of kops'"),
    row('ec2:CreateFleet', fleet, {}, false, 'an untagged fleet'),
    row('ec2:CreateLaunchTemplate', template, newOurs, true, 'a launch template for a node pool'),
    row('ec2:CreateLaunchTemplate', template, requestTagging(c), false, 'a launch template without a node pool'),
    row('ec2:DeleteLaunchTemplate', template, ours, true, 'its own launch template'),
    row('ec2:DeleteLaunchTemplate', template, taggedWith(c), false, "a launch template of kops'"),
    row('iam:PassRole', role(nodeRole), { 'iam:PassedToService': ec2Principal }, true, 'the node role, to EC2'),
    row('iam:PassRole', role(nodeRole), { 'iam:PassedToService': 'lambda.amazonaws.com' }, false, 'the node role, to Lambda'),
    row(
      'iam:PassRole',
      role(`masters.${c}`),
      { 'iam:PassedToService': ec2Principal },
      e.karpenter.customProfiles,
      'another role (any role only with custom instance profiles)',
    ),
  ];
}
