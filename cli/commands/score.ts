// `modelops score`: ranks candidate items for a user with the model's serving version (Score RPC).
import { list, num, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, isoTime, table } from '../output';
import { modelAndUser, printRanked, servingRequest, SERVING_FLAGS } from '../serving-request';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import type { GetScoringStatusResponse__Output } from '../../proto/gen/modelops/v1/GetScoringStatusResponse';

export const commands: Command[] = [
  {
    name: 'score',
    summary: 'Rank candidate items for a user with the model\'s serving version (production or the user\'s rollout arm).',
    usage: '[<model>] --user <user-id> --items <a,b,c>',
    flags: {
      model: SERVING_FLAGS.model,
      user: { type: 'string', description: 'The user to rank for.', placeholder: 'USER_ID' },
      items: { type: 'list', description: 'Candidate item ids, comma-separated or repeated (at most 5000).', placeholder: 'IDS' },
      'top-k': { type: 'number', description: 'How many to return, best first (default: all).', placeholder: 'K' },
      ...SERVING_FLAGS,
    },
    async run(args, io) {
      const { model, user } = modelAndUser(args, 'modelops score <model> --user <user-id> --items <a,b,c>');
      const items = list(args, 'items');
      if (items.length === 0) throw new UsageError('--items is required: comma-separated candidate item ids');
      const topK = num(args, 'top-k') ?? 0;
      if (!Number.isInteger(topK) || topK < 0) throw new UsageError(`--top-k: ${topK} is not a whole number >= 0`);
      const req = servingRequest(args);
      const target = targetOf(args);
      const res = await call<object, ScoreResponse__Output>(target, clientOf('ScoringService', target), 'Score', {
        model, user_id: user, item_ids: items, top_k: topK, ...req.fields,
      }, { deadlineMs: req.deadlineMs });
      printRanked(io, res, { unknown_item_ids: res.unknown_item_ids },
        { unknown_items: res.unknown_item_ids.length ? res.unknown_item_ids.join(', ') : '(none)' });
    },
  },
  {
    name: 'score status',
    summary: 'Show what the answering scoring process serves per model (production, rollout arms), which version loads failed, and how Retrieve searches each version.',
    usage: '[<model>]',
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, GetScoringStatusResponse__Output>(target, clientOf('ScoringService', target), 'GetScoringStatus',
        { model: args.positional[0] ?? '' });
      const out = {
        models: res.models.map((m) => ({ model: m.model, production_version: m.production_version, production_version_name: m.production_version_name,
          arms: m.arms.map((a) => ({ arm: a.arm, model_version: a.model_version, weight: a.weight })),
          shadow: m.shadow.map((a) => ({ version_name: a.arm, model_version: a.model_version })) })),
        failures: res.failures.map((f) => ({ model_version: f.model_version, version_name: f.version_name, error: f.error,
          time: isoTime(f.time) })),
        retrieval_indexes: (res.retrieval_indexes ?? []).map((x) => ({ model_version: x.model_version, search: x.search, items: Number(x.items),
          recall: x.recall, refused_recall: x._refused_recall === 'refused_recall' ? x.refused_recall : undefined, error: x.error || undefined,
          build_seconds: x.build_seconds, min_items: Number(x.min_items) })),
      };
      emit(io, out, () => {
        io.out(table(out.models.map((m) => ({ model: m.model, production: `${m.production_version} (${m.production_version_name})`,
          arms: m.arms.length ? m.arms.map((a) => `${a.arm}=${a.weight}`).join(' ') : '(no rollout)',
          shadow: m.shadow.map((a) => a.version_name).join(' ') })), ['model', 'production', 'arms', 'shadow']));
        if (out.failures.length) {
          io.out('\nfailed loads (the versions above keep serving):');
          io.out(table(out.failures as unknown as Record<string, unknown>[], ['model_version', 'version_name', 'time', 'error']));
        }
        if (out.retrieval_indexes.length) {
          io.out('\nretrieve search per loaded version (approximate: the index serves; refused: the canary kept the previous one):');
          io.out(table(out.retrieval_indexes.map((x) => ({ model_version: x.model_version, search: x.search, items: x.items,
            recall: x.search === 'approximate' ? x.recall.toFixed(3) : '', refused: x.refused_recall === undefined ? '' : x.refused_recall.toFixed(3),
            build_s: x.build_seconds ? x.build_seconds.toFixed(1) : '', error: x.error ?? '' })), ['model_version', 'search', 'items', 'recall', 'refused', 'build_s', 'error']));
        }
      });
    },
  },
];
