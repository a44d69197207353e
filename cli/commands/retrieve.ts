// `modelops retrieve`: the best items of the model's whole catalog for a user (Retrieve RPC).
import { list, num, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { modelAndUser, printRanked, servingRequest, SERVING_FLAGS } from '../serving-request';
import type { RetrieveResponse__Output } from '../../proto/gen/modelops/v1/RetrieveResponse';

export const commands: Command[] = [
  {
    name: 'retrieve',
    summary: 'Retrieve the best items of the whole catalog for a user with the model\'s serving version (production or the user\'s rollout arm).',
    usage: '[<model>] --user <user-id> [--top-k K] [--exclude a,b,c]',
    flags: {
      model: SERVING_FLAGS.model,
      user: { type: 'string', description: 'The user to retrieve for.', placeholder: 'USER_ID' },
      'top-k': { type: 'number', description: 'How many to return, best first (default 100, at most 1000).', placeholder: 'K' },
      exclude: { type: 'list', description: 'Item ids never to return (for example those already seen), comma-separated or repeated (at most 5000).', placeholder: 'IDS' },
      ...SERVING_FLAGS,
    },
    async run(args, io) {
      const { model, user } = modelAndUser(args, 'modelops retrieve <model> --user <user-id> [--top-k K]');
      const topK = num(args, 'top-k') ?? 0;
      if (!Number.isInteger(topK) || topK < 0 || topK > 1000) throw new UsageError(`--top-k: ${topK} is not a whole number from 1 to 1000 (0 means 100)`);
      const exclude = list(args, 'exclude');
      if (exclude.length > 5000) throw new UsageError(`--exclude: ${exclude.length} ids given, at most 5000 allowed`);
      const req = servingRequest(args);
      const target = targetOf(args);
      const res = await call<object, RetrieveResponse__Output>(target, clientOf('ScoringService', target), 'Retrieve', {
        model, user_id: user, top_k: topK, exclude_item_ids: exclude, ...req.fields,
      }, { deadlineMs: req.deadlineMs });
      printRanked(io, res);
    },
  },
];
