#!/usr/bin/env node
// Makes V8's code caches of the bundle, which the launcher (bin/kops-iam.js through
// bin/code-cache.js) compiles the bundle with: bundle/kops-iam.js.cache for `synth`, and
// bundle/kops-iam.js.validate.cache, a smaller one without cdktf's code, for every other command;
// and bundle/kops-iam.js.worker.cache, which synth's worker threads compile it with (made under the
// V8 flags a large synth sets before it starts them: the worker reached its first part of a
// 1,000-cluster input 65–100 ms sooner than when it compiled the bundle without a cache).
// V8 reads a whole cache as the bundle is compiled: with the one cache for all commands,
// `validate` of one cluster took 163 ms, with its own 153 ms (alternating runs; `synth` 185 ms
// with either). Run by `npm run build` after scripts/bundle.mjs. Each cache is made in a plain
// `node` process, after running its commands once on the bundled example and a strict cluster
// with addons, so that it holds the functions a run uses. A Node with another V8 rejects them,
// and the bundle is compiled as usual.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const app = join(import.meta.dirname, '..');
const STRICT = `apiVersion: kops.k8s.io/v1alpha2
kind: Cluster
metadata:
  name: warm-up.example.com
spec:
  cloudProvider: aws
  configBase: s3://state/warm-up.example.com
  dnsZone: example.com
  etcdClusters:
  - name: main
    etcdMembers:
    - name: a
      instanceGroup: master-a
      encryptedVolume: true
      kmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
  iam:
    allowContainerRegistry: true
    permissionsBoundary: arn:aws:iam::123456789012:policy/boundary
  externalPolicies:
    node: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  additionalPolicies:
    node: |
      [{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": ["*"]}]
  cloudLabels:
    team: platform
  awsLoadBalancerController: {enabled: true}
  clusterAutoscaler: {enabled: true}
  certManager: {enabled: true}
  snapshotController: {enabled: true}
  networking:
    amazonvpc: {}
  subnets:
  - name: eu-west-1a
    zone: eu-west-1a
`;

const work = mkdtempSync(join(tmpdir(), 'kops-iam-warm-up-'));
try {
  const strict = join(work, 'strict.yaml');
  writeFileSync(strict, STRICT);
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // the launcher's V8 flags are Node's defaults: a cache made with others is rejected
  const bundle = join(app, 'bundle', 'kops-iam.js');
  for (const [commands, cache] of [
    ['synth,validate', `${bundle}.cache`],
    ['validate', `${bundle}.validate.cache`],
    ['worker', `${bundle}.worker.cache`],
  ]) {
    const args = [commands, bundle, cache, join(app, 'examples', 'seed.yaml'), strict];
    const r = spawnSync(process.execPath, [join(app, 'scripts', 'code-cache-warm-up.cjs'), ...args], { env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`code cache: the warm-up of ${commands} exited ${r.status ?? r.signal}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(
  'code cache: bundle/kops-iam.js.cache (synth), bundle/kops-iam.js.validate.cache (the other commands), ' +
    'bundle/kops-iam.js.worker.cache (synth worker threads)\n',
);
