// `modelops start` (what `npm start` runs): serve everything, and on an empty registry run the first-run
// story end to end through the API, then keep serving.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readVar } from '../../core/config';
import { bool, type Command, type Io } from '../command';
import { runServe, SERVE_FLAGS } from '../serve-process';
import { firstRunStory, howToCall, storyData, STORY_MODEL } from '../first-run';
import { simulateOutcomes } from '../story-outcomes';

/** Runs one CLI command in-process against our own server, echoing it as a user would type it. */
async function runInProcess(io: Io, addr: string, token: string | undefined, argv: string[], json: boolean, quiet = false): Promise<{ code: number; stdout: string }> {
  if (!quiet) io.err(`\n$ modelops ${argv.join(' ')}\n`);
  let stdout = '';
  const sub: Io = { json, tty: io.tty, out: (t) => { stdout += `${t}\n`; }, err: (t) => io.err(t) };
  // Required lazily: cli/main.ts runs itself when it is the entry point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../main') as typeof import('../main');
  const code = await main([...argv, ...(json ? ['--json'] : []), '--addr', addr, ...(token ? ['--token', token] : [])], sub);
  return { code, stdout };
}

export const commands: Command[] = [{
  name: 'start',
  summary: 'Serve everything (as `serve`), and on an empty registry first run the story end to end: data, datasets, training, evaluation, promotion, rollout, Score.',
  flags: {
    ...SERVE_FLAGS,
    'no-story': { type: 'boolean', description: 'Only serve; skip the first-run story.' },
    'log-to-terminal': { type: 'boolean', description: 'Server logs (JSON lines) on stderr with the story, instead of in <home>/logs/serve.log.' },
  },
  run: (args, io) => {
    // The story's sizes are checked with the server's variables, before anything starts.
    if (!bool(args, 'no-story')) storyData();
    return runServe(args, io, {
      // The story is for people: the server's JSON log lines go to a file under the home unless asked for here.
      logFile: bool(args, 'log-to-terminal') ? undefined : (home) => path.join(home, 'logs', 'serve.log'),
      whenReady: async (platform, ready) => {
        if (bool(args, 'no-story')) return howToCall(io, ready);
        const token = ready.admin_token_file && fs.existsSync(ready.admin_token_file)
          ? fs.readFileSync(ready.admin_token_file, 'utf8').trim() : readVar('MODELOPS_TOKEN');
        const human: Io = { ...io, json: false };
        await firstRunStory(human,
          async (argv, opts) => {
            const r = await runInProcess(human, ready.addr, token, argv, true, opts?.quiet);
            if (r.code !== 0 && !opts?.allowFail) {
              // The command ran with --json, so its reason is in its output, not on the terminal: say it.
              let why = '';
              try { const o = JSON.parse(r.stdout); why = o.evaluation?.error ?? o.error ?? ''; } catch { why = r.stdout.trim().slice(0, 500); }
              throw new Error(`\`modelops ${argv.join(' ')}\` failed (exit ${r.code})${why ? `: ${why}` : ''}`);
            }
            return r.stdout.trim() ? JSON.parse(r.stdout) : {};
          },
          async (argv) => {
            const r = await runInProcess(human, ready.addr, token, argv, false);
            human.err(r.stdout);
            return r.code;
          },
          (p) => simulateOutcomes({ addr: ready.addr, token }, STORY_MODEL, p));
        howToCall(io, ready);
        void platform;
      },
    });
  },
}];
