import { closest } from './suggest';

/** The commands kops-iam runs. */
export type Command = 'synth' | 'validate' | 'explain';

const COMMANDS: readonly Command[] = ['synth', 'validate', 'explain'];

/** The options that take a value, by the command they go with. */
const VALUE_OPTIONS: Readonly<Record<Command, readonly string[]>> = { synth: ['--out'], validate: [], explain: ['--format'] };

/** The options that are on or off, by the command they go with. */
const FLAG_OPTIONS: Readonly<Record<Command, readonly string[]>> = { synth: ['--import'], validate: [], explain: [] };

/** A command to run, with its arguments. */
export interface CommandArgs {
  readonly kind: 'run';
  readonly command: Command;
  readonly files: readonly string[];
  readonly out: string;
  readonly format: 'md' | 'json';
  /** synth --import: add Terraform import blocks that adopt the IAM kops already created. */
  readonly importExisting: boolean;
}

/** What the command line asks for; a usage error is a value too, with the command it concerns. */
export type ParsedArgs =
  | CommandArgs
  | { readonly kind: 'help'; readonly command?: Command }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string; readonly command?: Command };

/**
 * Reads the command line. `--help`/`-h` and `--version` win wherever they stand (before a
 * `--`), so `kops-iam synth --help` is synth's help and `kops-iam explain x --version` the version.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'help' };
  if (first === 'help') return helpOf(rest[0]);
  const command = isCommand(first) ? first : undefined;
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options.includes('--help') || options.includes('-h')) return { kind: 'help', command };
  if (options.includes('--version')) return { kind: 'version' };
  if (command === undefined) return { kind: 'usage-error', message: unknownCommand(first) };
  return parseCommand(command, rest);
}

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

/** `kops-iam help [COMMAND]`. */
function helpOf(word: string | undefined): ParsedArgs {
  if (word === undefined) return { kind: 'help' };
  return isCommand(word) ? { kind: 'help', command: word } : { kind: 'usage-error', message: unknownCommand(word) };
}

function unknownCommand(word: string): string {
  if (word.startsWith('-')) return `expected a command (synth, validate or explain) before '${word}'`;
  const guess = closest(word, COMMANDS);
  return guess === undefined
    ? `unknown command '${word}'; use synth, validate or explain`
    : `unknown command '${word}'; did you mean '${guess}'?`;
}

/** The arguments after the command: FILEs and the command's options. */
function parseCommand(command: Command, args: readonly string[]): ParsedArgs {
  const files: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const problem = optionProblem(command, flag);
    if (problem !== undefined) return { kind: 'usage-error', message: problem, command };
    if (FLAG_OPTIONS[command].includes(flag)) {
      if (eq > 0) return { kind: 'usage-error', message: `${flag} takes no value`, command };
      flags.add(flag);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return { kind: 'usage-error', message: `${flag} needs a value`, command };
    values.set(flag, value);
  }
  const format = values.get('--format') ?? 'md';
  if (format !== 'md' && format !== 'json') return { kind: 'usage-error', message: `--format is md or json, not '${format}'`, command };
  if (files.length === 0) return { kind: 'usage-error', message: `${command} needs at least one FILE`, command };
  return { kind: 'run', command, files, out: values.get('--out') ?? 'cdktf.out', format, importExisting: flags.has('--import') };
}

/** Why an option is not one of the command's, with the likely intended one; undefined when it is. */
function optionProblem(command: Command, flag: string): string | undefined {
  const own = [...VALUE_OPTIONS[command], ...FLAG_OPTIONS[command]];
  if (own.includes(flag)) return undefined;
  const owner = COMMANDS.find((c) => VALUE_OPTIONS[c].includes(flag) || FLAG_OPTIONS[c].includes(flag));
  if (owner !== undefined) return `${flag} goes with ${owner}`;
  const guess = closest(flag, [...own, '--help', '--version']);
  return `unknown option '${flag}'${guess === undefined ? '' : `; did you mean '${guess}'?`}`;
}
