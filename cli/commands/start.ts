// `modelops start` (what `npm start` runs): serve everything, and on an empty registry run the first-run
// story end to end through the API, then keep serving.
import * as fs from 'node:fs';
import { bool, type Command, type Io } from '../command';
import { runServe, SERVE_FLAGS } from '../serve-process';
import { firstRunStory, howToCall } from '../first-run';

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
  summary: 'Serve everything (as `serve`), and on an empty registry first run the seed\'s story end to end: data, datasets, training, evaluation, promotion, rollout, Score.',
  flags: {
    ...SERVE_FLAGS,
    'no-story': { type: 'boolean', description: 'Only serve; skip the first-run story.' },
  },
  run: (args, io) => runServe(args, io, {
    whenReady: async (platform, ready) => {
      if (bool(args, 'no-story')) return howToCall(io, ready);
      const token = ready.admin_token_file && fs.existsSync(ready.admin_token_file)
        ? fs.readFileSync(ready.admin_token_file, 'utf8').trim() : process.env.MODELOPS_TOKEN;
      const human: Io = { ...io, json: false };
      await firstRunStory(human,
        async (argv, opts) => {
          const r = await runInProcess(human, ready.addr, token, argv, true, opts?.quiet);
          if (r.code !== 0) throw new Error(`\`modelops ${argv.join(' ')}\` failed (exit ${r.code})`);
          return r.stdout.trim() ? JSON.parse(r.stdout) : {};
        },
        async (argv) => {
          const r = await runInProcess(human, ready.addr, token, argv, false);
          human.err(r.stdout);
          return r.code;
        });
      howToCall(io, ready);
      void platform;
    },
  }),
}];
