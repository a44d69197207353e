// `modelops serve`: host the platform's services in this process.
import { bool, type Command } from '../command';
import { runServe, SERVE_FLAGS } from '../serve-process';

export const commands: Command[] = [{
  name: 'serve',
  summary: 'Run the platform: all six services by default, or the subset --services names, on one port.',
  flags: {
    ...SERVE_FLAGS,
    quiet: { type: 'boolean', description: 'Do not print the start banner.' },
  },
  run: (args, io) => runServe(args, io, { quiet: bool(args, 'quiet') }),
}];
