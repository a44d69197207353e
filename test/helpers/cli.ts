// Runs the real `modelops` binary (the compiled CLI in dist/, which `npm test` builds first) as a child
// process, as a user would.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const BIN = path.resolve(__dirname, '../../bin/modelops.js');

let emptyHome: string | undefined;

/**
 * `env` with the console off and a MODELOPS_HOME of the test's own: the one the test gave, else an empty
 * folder of this test file. So a CLI run never picks up the admin token of an `npm start` serving in the
 * same folder (./.modelops) nor one that another test's server wrote into the run's shared home
 * (scripts/run-tests.js names it in MODELOPS_TEST_SHARED_HOME).
 */
export function isolated(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const given = env.MODELOPS_HOME && env.MODELOPS_HOME !== process.env.MODELOPS_TEST_SHARED_HOME ? env.MODELOPS_HOME : undefined;
  emptyHome ??= fs.mkdtempSync(path.join(os.tmpdir(), 'mo-cli-home-'));
  return { MODELOPS_CONSOLE_ADDR: 'off', ...env, MODELOPS_HOME: given ?? emptyHome };
}

/** The result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `modelops ...args` with `env`; optional stdin text. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: isolated(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`modelops ${args.join(' ')} timed out; stderr: ${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** Runs the CLI with --json and parses stdout, failing with stderr when the exit code is not 0. */
export async function cliJson<T = any>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const r = await runCli([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`modelops ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
