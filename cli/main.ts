// `modelops`: finds every command in cli/commands, matches the longest command name against argv, parses
// its flags, runs it, and turns failures into a message with the gRPC code and a non-zero exit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLOBAL_FLAGS, UsageError, parseArgs, type Command, type FlagSpec, type Io } from './command';
import { RpcError, closeClients } from './client';
import { ConfigError } from '../services/common/config';

/** Every command, from cli/commands/*.ts. */
export function loadCommands(): Command[] {
  const dir = path.join(__dirname, 'commands');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .flatMap((f) => (require(path.join(dir, f)) as { commands?: Command[] }).commands ?? []);
}

function flagHelp(flags: Record<string, FlagSpec>): string {
  return Object.entries(flags).map(([name, f]) => {
    const left = `  --${name}${f.type === 'boolean' ? '' : ` ${f.placeholder ?? (f.type === 'number' ? 'N' : 'VALUE')}`}${f.alias ? `, --${f.alias}` : ''}`;
    return `${left.padEnd(34)} ${f.description}`;
  }).join('\n');
}

function commandHelp(cmd: Command): string {
  return [`usage: modelops ${cmd.name}${cmd.usage ? ` ${cmd.usage}` : ''} [flags]`, '', cmd.summary, '',
    'flags:', flagHelp({ ...(cmd.flags ?? {}), ...GLOBAL_FLAGS })].join('\n');
}

function overview(cmds: Command[]): string {
  const w = Math.max(...cmds.map((c) => c.name.length));
  return ['usage: modelops <command> [arguments] [flags]', '',
    ...cmds.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`), '',
    'Every command takes --json, --addr and --token; `modelops <command> --help` shows its flags.'].join('\n');
}

/** Runs the CLI on `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const cmds = loadCommands();
  const words = argv.filter((a) => !a.startsWith('--'));
  let cmd: Command | undefined;
  for (const c of cmds) {
    const parts = c.name.split(' ');
    if (parts.every((p, i) => words[i] === p) && (!cmd || parts.length > cmd.name.split(' ').length)) cmd = c;
  }
  if (!cmd) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
      io.out(overview(cmds));
      return 0;
    }
    const prefix = cmds.filter((c) => c.name.startsWith(`${words[0]} `));
    io.err(`modelops: unknown command "${words.slice(0, 2).join(' ')}"${prefix.length ? `; did you mean one of: ${prefix.map((c) => c.name).join(', ')}` : ''}. Run \`modelops --help\`.\n`);
    return 2;
  }
  // Remove the command words (the first occurrences, in order) and parse the rest.
  const rest = [...argv];
  for (const p of cmd.name.split(' ')) rest.splice(rest.indexOf(p), 1);
  try {
    const args = parseArgs(rest, cmd);
    if (args.flags.help) {
      io.out(commandHelp(cmd));
      return 0;
    }
    io.json = args.flags.json === true;
    const code = await cmd.run(args, io);
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`modelops ${cmd.name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof RpcError || err instanceof ConfigError) {
      io.err(`modelops ${cmd.name}: ${err.message}\n`);
      return 1;
    }
    io.err(`modelops ${cmd.name}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  } finally {
    closeClients();
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
    process.exitCode = code;
  });
}
