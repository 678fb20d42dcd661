import type { Command } from './cli-args';

const FILES = `FILE holds kops manifests (kind: Cluster and InstanceGroup, as 'kops get --name X -o yaml'
prints them) or the bare metadata/spec form. A folder reads its *.yaml and *.yml files in
name order (not its subfolders); '-' reads standard input. Each input may hold 256 MiB.
KOPS_FEATURE_FLAGS=+CustomPoliciesSupport allows spec.customPolicies, as in kops.`;

const EXIT = `Exit status: 0 success, 1 invalid input (nothing written), 2 usage error, unreadable
input or unusable output folder, 70 internal error.`;

const GENERAL = `kops-iam: kops cluster IAM as Terraform JSON (through cdktf)

Usage:
  kops-iam synth FILE... [--out DIR] [--import]
                                       write DIR/stacks/<cluster>/cdk.tf.json (DIR defaults to cdktf.out)
  kops-iam validate FILE...            check the manifests, write nothing
  kops-iam explain FILE... [--format md|json]
                                       print what each role may do
  kops-iam <command> --help            help on one command
  kops-iam --help | --version

${FILES}

${EXIT}
`;

const COMMANDS: Readonly<Record<Command, string>> = {
  synth: `Usage: kops-iam synth FILE... [--out DIR] [--import]

Checks every manifest, then writes DIR/stacks/<cluster>/cdk.tf.json for each cluster and
DIR/manifest.json (cdktf's manifest, listing every stack under DIR/stacks). Nothing is
written unless the whole input is valid. Each file is written beside its target and renamed
over it; everything else in DIR (.terraform/, terraform.tfstate, *_override.tf.json, other
clusters' stacks) stays as it is. One run writes DIR at a time: another run waits for it
(KOPS_IAM_LOCK_WAIT seconds, default 60), then gives up with a message.

Options:
  --out DIR     the output folder (default: cdktf.out)
  --import      add Terraform import blocks that adopt the IAM kops already created
                (roles, policies, instance profiles, attachments, OIDC provider)
  -h, --help    this help
  --version     print the version

${FILES}

${EXIT}
`,
  validate: `Usage: kops-iam validate FILE...

Checks every manifest and prints every problem as FILE:LINE:COL; writes nothing.

Options:
  -h, --help    this help
  --version     print the version

${FILES}

${EXIT}
`,
  explain: `Usage: kops-iam explain FILE... [--format md|json]

Prints, per cluster and role, the services and actions the role gets, the resources they
reach, and where each statement comes from (kops defaults or additionalPolicies).

Options:
  --format md|json   Markdown (default) or the same report as JSON
  -h, --help         this help
  --version          print the version

${FILES}

${EXIT}
`,
};

/** The help of one command, or of kops-iam as a whole. */
export function helpText(command?: Command): string {
  return command === undefined ? GENERAL : COMMANDS[command];
}
