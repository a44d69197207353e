// `modelops`: parses argv with commander against the command index, loads only the module of the command
// that runs, and turns failures into a message with the gRPC code and a non-zero exit.
//
// Startup is what a person waits for on every call, so nothing heavy loads before a command runs: the
// compiled CLI (dist/) reads dist/cli/commands.json, written at build time by scripts/build.js, for every
// command's name, summary and flags, and `--help`, a mistyped command or a bad flag never loads gRPC or the
// protos. From the TypeScript sources (tests under tsx) there is no index, and every module is loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command as Program, CommanderError, InvalidArgumentError, Option } from 'commander';
import { GLOBAL_FLAGS, UsageError, type Args, type Command, type FlagSpec, type Io } from './command';

/** A command as the index describes it: everything but `run`, and the file of cli/commands that exports it. */
export interface CommandEntry {
  name: string;
  summary: string;
  usage?: string;
  flags: Record<string, FlagSpec>;
  /** The module's file name in cli/commands (".js" when compiled, ".ts" from the sources). */
  file: string;
  /** The command itself when its module is already loaded (no index). */
  command?: Command;
}

const COMMANDS_DIR = path.join(__dirname, 'commands');

function commandFiles(): string[] {
  return fs.readdirSync(COMMANDS_DIR)
    .filter((f) => /\.[jt]s$/.test(f) && !/\.(test|d)\.ts$/.test(f)).sort();
}

/** Every command, from cli/commands/*, with its module loaded. */
export function loadCommands(): Command[] {
  return loadedEntries().map((e) => e.command!);
}

function loadedEntries(): CommandEntry[] {
  return commandFiles().flatMap((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(COMMANDS_DIR, file)) as { commands?: Command[] };
    return (mod.commands ?? []).map((c) => ({ name: c.name, summary: c.summary, usage: c.usage, flags: c.flags ?? {}, file, command: c }));
  });
}

/** The command index: dist/cli/commands.json when compiled, else every module loaded. */
export function commandIndex(): CommandEntry[] {
  const index = path.join(__dirname, 'commands.json');
  if (fs.existsSync(index)) return JSON.parse(fs.readFileSync(index, 'utf8')) as CommandEntry[];
  return loadedEntries();
}

function resolve(entry: CommandEntry): Command {
  if (entry.command) return entry.command;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(COMMANDS_DIR, entry.file)) as { commands?: Command[] };
  const cmd = mod.commands?.find((c) => c.name === entry.name);
  if (!cmd) throw new Error(`cli/commands/${entry.file} no longer exports "${entry.name}"; rebuild with \`npm run build\``);
  return cmd;
}

function overview(entries: CommandEntry[]): string {
  const w = Math.max(...entries.map((c) => c.name.length));
  return ['usage: modelops <command> [arguments] [flags]', '',
    ...entries.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`), '',
    'Every command takes --json, --addr and --token, before or after its words; `modelops <command> --help` shows its flags.'].join('\n');
}

/** Optimal string alignment distance: edits, where swapping two neighbours counts as one ("modle" → "model"). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function close(typed: string, known: string): boolean {
  return known.startsWith(typed) || editDistance(typed, known) <= (typed.length < 4 ? 1 : 2);
}

/** What a mistyped command probably meant: nouns and verbs are each matched, so `modle list` → `models list`. */
export function suggest(words: string[], names: string[]): string[] {
  const [noun, verb] = words;
  const nouns = [...new Set(names.map((n) => n.split(' ')[0]))];
  const verbsOf = (n: string) => names.filter((c) => c.startsWith(`${n} `)).map((c) => c.split(' ')[1]);
  const candidates = nouns.includes(noun) ? [noun] : nouns.filter((n) => close(noun, n));
  return candidates.flatMap((n) => {
    if (verb === undefined || (names.includes(n) && verbsOf(n).length === 0)) return [n];
    const exact = verbsOf(n).filter((v) => v === verb);
    const near = exact.length ? exact : verbsOf(n).filter((v) => close(verb, v));
    if (near.length) return near.map((v) => `${n} ${v}`);
    return n === noun ? verbsOf(n).map((v) => `${n} ${v}`) : [n];
  });
}

/** The words of argv (not flags, not the values of the global flags that take one). */
function wordsOf(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '');
      if (!a.includes('=') && GLOBAL_FLAGS[name] && GLOBAL_FLAGS[name].type !== 'boolean') i++;
      continue;
    }
    words.push(a);
  }
  return words;
}

function optionFor(name: string, spec: FlagSpec, hidden = false): Option {
  const placeholder = spec.placeholder ?? (spec.type === 'number' ? 'N' : 'VALUE');
  const opt = new Option(spec.type === 'boolean' ? `--${name}` : `--${name} <${placeholder}>`, spec.description);
  if (spec.type === 'number') {
    opt.argParser((v: string) => {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${v}" is not a number`);
      return n;
    });
  } else if (spec.type === 'list') {
    opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter(Boolean)]);
  }
  if (hidden) opt.hideHelp();
  return opt;
}

/** One flag as registered with commander, and the canonical name it fills in Args. */
interface Bound {
  owner: Program;
  option: Option;
  name: string;
}

function valueOf(b: Bound): string | number | boolean | string[] | undefined {
  const v = b.owner.getOptionValue(b.option.attributeName()) as string | number | boolean | string[] | undefined;
  // A flag named "no-x" is commander's negation of x: given means false there, true here.
  if (b.option.negate) return v === false ? true : undefined;
  return v;
}

/** What commander's parse chose: the command and its arguments. */
interface Chosen {
  entry: CommandEntry;
  positional: string[];
  bound: Bound[];
}

/**
 * The commander program of every command: nouns hold their verbs (`models` → `list`), a word can be both a
 * command and a noun (`score`, `score status`), and the global flags belong to the root, so commander
 * accepts them before, between and after the command words. Parse errors go to `errors`, not to the terminal.
 */
function buildProgram(entries: CommandEntry[], io: Io, errors: string[], onChoose: (c: Chosen) => void, onError: (where: string) => void): Program {
  const program = new Program('modelops');
  program
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s), outputError: (s) => { errors.push(s); } })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: true, subcommandTerm: (c) => c.name() })
    .helpOption('-h, --help', GLOBAL_FLAGS.help.description)
    .helpCommand(false);
  const globals: Bound[] = [];
  for (const [name, spec] of Object.entries(GLOBAL_FLAGS)) {
    if (name === 'help') continue;
    const option = optionFor(name, spec);
    program.addOption(option);
    globals.push({ owner: program, option, name });
  }
  program.helpInformation = () => `${overview(entries)}\n`;

  const nodes = new Map<string, Program>();
  const nodeFor = (words: string[]): Program => {
    const key = words.join(' ');
    let node = nodes.get(key);
    if (!node) {
      const parent = words.length > 1 ? nodeFor(words.slice(0, -1)) : program;
      node = parent.command(words[words.length - 1]);
      node.exitOverride((err) => { onError(key); throw err; }).helpCommand(false);
      const verbs = entries.filter((e) => e.name.startsWith(`${key} `)).map((e) => e.name.split(' ')[1]);
      node.description(`${key}: ${verbs.join(', ')}.`).usage('<command> [flags]');
      nodes.set(key, node);
    }
    return node;
  };
  for (const entry of entries) {
    const node = nodeFor(entry.name.split(' '));
    node.description(entry.summary).usage(`${entry.usage ? `${entry.usage} ` : ''}[flags]`).argument('[arguments...]');
    const bound = [...globals];
    for (const [name, spec] of Object.entries(entry.flags)) {
      if (GLOBAL_FLAGS[name]) continue;
      const option = optionFor(name, spec);
      node.addOption(option);
      bound.push({ owner: node, option, name });
      if (spec.alias) {
        const alias = optionFor(spec.alias, spec, true);
        node.addOption(alias);
        bound.push({ owner: node, option: alias, name });
      }
    }
    node.action((positional: string[]) => onChoose({ entry, positional, bound }));
  }
  return program;
}

/**
 * Parses `argv` against `entries`: the command to run and its Args, or the exit code when parsing ended it
 * (help shown: 0; a usage error, already reported on `io.err`: 2).
 */
export function parseCommandLine(argv: string[], entries: CommandEntry[], io: Io): { entry: CommandEntry; args: Args } | { exit: number } {
  let chosen: Chosen | undefined;
  let failedAt = '';
  const errors: string[] = [];
  const program = buildProgram(entries, io, errors, (c) => { chosen = c; }, (where) => { failedAt = where; });
  if (argv.length === 0 || (argv.length === 1 && argv[0] === 'help')) {
    io.out(overview(entries));
    return { exit: 0 };
  }
  // `modelops help models list` is `modelops models list --help`.
  if (argv[0] === 'help') argv = [...argv.slice(1), '--help'];
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return { exit: 0 };
    if (err.code === 'commander.help') return { exit: err.exitCode };
    if (err.code === 'commander.unknownCommand' || err.code === 'commander.excessArguments') {
      const words = wordsOf(argv);
      const typed = words.slice(0, 2).join(' ');
      const hints = suggest(words, entries.map((e) => e.name));
      io.err(`modelops: unknown command "${typed}"${hints.length ? `; did you mean ${hints.map((h) => `\`${h}\``).join(', ')}?` : ''} Run \`modelops --help\` for the list.\n`);
      return { exit: 2 };
    }
    const message = (errors.join('') || err.message).replace(/^error: /, '').trimEnd().replace(/\.$/, '');
    io.err(`modelops${failedAt ? ` ${failedAt}` : ''}: ${message}; see \`modelops${failedAt ? ` ${failedAt}` : ''} --help\`\n`);
    return { exit: 2 };
  }
  if (!chosen) {
    io.out(overview(entries));
    return { exit: 0 };
  }
  const { entry, positional, bound } = chosen;
  const args: Args = { positional, flags: {} };
  for (const b of bound) {
    const v = valueOf(b);
    if (v !== undefined && args.flags[b.name] === undefined) args.flags[b.name] = v;
  }
  return { entry, args };
}

/** Runs the CLI on `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv, commandIndex(), io);
  if ('exit' in parsed) return parsed.exit;
  const { entry, args } = parsed;
  io.json = args.flags.json === true;
  let ran = false;
  try {
    const cmd = resolve(entry);
    ran = true;
    const code = await cmd.run(args, io);
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`modelops ${entry.name}: ${err.message}\n`);
      return 2;
    }
    // The errors a user can act on print as their message; loaded lazily, as the command has loaded them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RpcError } = require('./client') as typeof import('./client');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConfigError } = require('../core/config') as typeof import('../core/config');
    if (err instanceof RpcError || err instanceof ConfigError) {
      io.err(`modelops ${entry.name}: ${err.message}\n`);
      return 1;
    }
    io.err(`modelops ${entry.name}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  } finally {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (ran) (require('./client') as typeof import('./client')).closeClients();
  }
}

if (require.main === module || process.argv[1]?.endsWith('modelops.js') || process.argv[1]?.endsWith('modelops')) {
  const io: Io = {
    json: false,
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(t),
    tty: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then((code) => {
    // A failure set while serving (the embedded Postgres lost, services/common/context.ts) outlives a clean stop.
    process.exitCode = code || process.exitCode || 0;
  });
}
