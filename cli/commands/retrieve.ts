// `modelops retrieve`: the best items of the model's whole catalog for a user (Retrieve RPC).
import { list, num, str, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, table } from '../output';
import type { RetrieveResponse__Output } from '../../proto/gen/modelops/v1/RetrieveResponse';

export const commands: Command[] = [
  {
    name: 'retrieve',
    summary: 'Retrieve the best items of the whole catalog for a user with the model\'s serving version (production or the user\'s rollout arm).',
    usage: '[<model>] --user <user-id> [--top-k K] [--exclude a,b,c]',
    flags: {
      model: { type: 'string', description: 'The model id (or give it as the first argument).', placeholder: 'MODEL' },
      user: { type: 'string', description: 'The user to retrieve for.', placeholder: 'USER_ID' },
      'top-k': { type: 'number', description: 'How many to return, best first (default 100, at most 1000).', placeholder: 'K' },
      exclude: { type: 'list', description: 'Item ids never to return (for example those already seen), comma-separated or repeated (at most 5000).', placeholder: 'IDS' },
      hod: { type: 'number', description: 'Hour of day 0-23 in the model\'s market time zone (default: now).', placeholder: 'H' },
      dow: { type: 'number', description: 'Day of week, 0 = Monday .. 6 = Sunday (default: today).', placeholder: 'D' },
      handset: { type: 'string', description: 'The user\'s handset maker (default: the stored one).', placeholder: 'MAKER' },
      'request-id': { type: 'string', description: 'Your id for this request (default: the server makes one).', placeholder: 'ID' },
      'deadline-ms': { type: 'number', description: 'Give up after this many milliseconds (default 10000).', placeholder: 'MS' },
    },
    async run(args, io) {
      const fromFlag = str(args, 'model');
      const model = args.positional[0] ?? fromFlag;
      if (args.positional[0] && fromFlag && args.positional[0] !== fromFlag) {
        throw new UsageError(`the model is given twice ("${args.positional[0]}" and --model ${fromFlag}); give it once`);
      }
      if (!model) throw new UsageError('missing the model: usage `modelops retrieve <model> --user <user-id> [--top-k K]`');
      const user = str(args, 'user');
      if (!user) throw new UsageError('--user is required');
      const topK = num(args, 'top-k') ?? 0;
      if (!Number.isInteger(topK) || topK < 0 || topK > 1000) throw new UsageError(`--top-k: ${topK} is not a whole number from 1 to 1000 (0 means 100)`);
      const exclude = list(args, 'exclude');
      if (exclude.length > 5000) throw new UsageError(`--exclude: ${exclude.length} ids given, at most 5000 allowed`);
      const context: Record<string, unknown> = { handset_maker: str(args, 'handset') ?? '' };
      if (num(args, 'hod') !== undefined) context.hod = num(args, 'hod');
      if (num(args, 'dow') !== undefined) context.dow = num(args, 'dow');
      const target = targetOf(args);
      const res = await call<object, RetrieveResponse__Output>(target, clientOf('ScoringService', target), 'Retrieve', {
        model, user_id: user, top_k: topK, exclude_item_ids: exclude, request_id: str(args, 'request-id') ?? '', context,
      }, { deadlineMs: num(args, 'deadline-ms') ?? 10_000 });
      const ranked = res.item_ids.map((id, i) => ({ rank: i + 1, item_id: id, score: res.scores[i] }));
      const out = {
        model_version: res.model_version, version_name: res.version_name, arm: res.arm, request_id: res.request_id,
        cold_start_user: res.cold_start_user, items: ranked,
      };
      emit(io, out, () => {
        io.out(fields({
          version: `${res.model_version} (${res.version_name})`, arm: res.arm, request_id: res.request_id, cold_start_user: res.cold_start_user,
        }));
        io.out('');
        io.out(table(ranked, ['rank', 'item_id', 'score']));
      });
    },
  },
];
