// The shape of a CLI command and the readers of its parsed arguments. Every file in cli/commands exports
// `commands: Command[]`; cli/main.ts finds them there (through the build's index, dist/cli/commands.json) and
// parses argv into Args with commander, so adding a command edits no shared list.

/** How a flag takes its value. */
export interface FlagSpec {
  type: 'string' | 'boolean' | 'number' | 'list';
  /** One sentence for --help. */
  description: string;
  /** Another name that means the same flag (without dashes), such as "model". */
  alias?: string;
  /** Shown in --help as the placeholder, such as "NAME". */
  placeholder?: string;
}

/** Parsed arguments of one command. */
export interface Args {
  /** Positional arguments after the command words. */
  positional: string[];
  /** Flags by canonical name: string, number, true, or string[] for lists (repeatable or comma-separated). */
  flags: Record<string, string | number | boolean | string[]>;
}

/** Where a command writes: stdout for results (one JSON document with --json), stderr for progress. */
export interface Io {
  json: boolean;
  /** Writes one line (a newline is added) to stdout. */
  out(text: string): void;
  /** Writes raw text to stderr (add the newline yourself; progress lines redraw with \r). */
  err(text: string): void;
  /** True when stderr is a terminal (progress bars redraw in place). */
  tty: boolean;
}

/** A CLI command such as `modelops tokens create`. */
export interface Command {
  /** The words after `modelops`, such as "tokens create". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The positional part of the usage line, such as "<model> <version-name>". */
  usage?: string;
  /** The flags it takes besides the global ones (--json, --help, --addr, --token). */
  flags?: Record<string, FlagSpec>;
  /** Runs the command; returns the exit code (0 when omitted). */
  run(args: Args, io: Io): Promise<number | void>;
}

/** A usage error: the message says what to fix; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Global flags every command accepts. */
export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'Print one JSON document on stdout and nothing else there.' },
  help: { type: 'boolean', description: 'Show this help.' },
  addr: { type: 'string', description: 'The server address (default MODELOPS_ADDR, else 127.0.0.1:50051).', placeholder: 'HOST:PORT' },
  token: { type: 'string', description: 'The bearer token (default MODELOPS_TOKEN, else the embedded default\'s admin token).', placeholder: 'TOKEN' },
};

/** Typed flag readers. */
export function str(args: Args, name: string): string | undefined {
  const v = args.flags[name];
  return v === undefined ? undefined : String(v);
}
export function num(args: Args, name: string): number | undefined {
  const v = args.flags[name];
  return v === undefined ? undefined : Number(v);
}
export function bool(args: Args, name: string): boolean {
  return args.flags[name] === true;
}
export function list(args: Args, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [String(v)];
}

/** The n-th positional argument, or a usage error naming it. */
export function need(args: Args, index: number, what: string, cmd: string): string {
  const v = args.positional[index];
  if (v === undefined || v === '') throw new UsageError(`missing ${what}: usage \`modelops ${cmd}\``);
  return v;
}

/** A required string flag, or a usage error naming it. */
export function needFlag(args: Args, name: string): string {
  const v = str(args, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}
