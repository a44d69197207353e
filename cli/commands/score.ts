// `modelops score`: ranks candidate items for a user with the model's serving version (Score RPC).
import { list, num, str, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, isoTime, table } from '../output';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import type { GetScoringStatusResponse__Output } from '../../proto/gen/modelops/v1/GetScoringStatusResponse';

export const commands: Command[] = [
  {
    name: 'score',
    summary: 'Rank candidate items for a user with the model\'s serving version (production or the user\'s rollout arm).',
    usage: '[<model>] --user <user-id> --items <a,b,c>',
    flags: {
      model: { type: 'string', description: 'The model id (or give it as the first argument).', placeholder: 'MODEL' },
      user: { type: 'string', description: 'The user to rank for.', placeholder: 'USER_ID' },
      items: { type: 'list', description: 'Candidate item ids, comma-separated or repeated (at most 5000).', placeholder: 'IDS' },
      'top-k': { type: 'number', description: 'How many to return, best first (default: all).', placeholder: 'K' },
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
      if (!model) throw new UsageError('missing the model: usage `modelops score <model> --user <user-id> --items <a,b,c>`');
      const user = str(args, 'user');
      if (!user) throw new UsageError('--user is required');
      const items = list(args, 'items');
      if (items.length === 0) throw new UsageError('--items is required: comma-separated candidate item ids');
      const topK = num(args, 'top-k') ?? 0;
      if (!Number.isInteger(topK) || topK < 0) throw new UsageError(`--top-k: ${topK} is not a whole number >= 0`);
      const context: Record<string, unknown> = { handset_maker: str(args, 'handset') ?? '' };
      if (num(args, 'hod') !== undefined) context.hod = num(args, 'hod');
      if (num(args, 'dow') !== undefined) context.dow = num(args, 'dow');
      const target = targetOf(args);
      const res = await call<object, ScoreResponse__Output>(target, clientOf('ScoringService', target), 'Score', {
        model, user_id: user, item_ids: items, top_k: topK, request_id: str(args, 'request-id') ?? '', context,
      }, { deadlineMs: num(args, 'deadline-ms') ?? 10_000 });
      const ranked = res.item_ids.map((id, i) => ({ rank: i + 1, item_id: id, score: res.scores[i] }));
      const out = {
        model_version: res.model_version, version_name: res.version_name, arm: res.arm, request_id: res.request_id,
        cold_start_user: res.cold_start_user, unknown_item_ids: res.unknown_item_ids, items: ranked,
      };
      emit(io, out, () => {
        io.out(fields({
          version: `${res.model_version} (${res.version_name})`, arm: res.arm, request_id: res.request_id,
          cold_start_user: res.cold_start_user, unknown_items: res.unknown_item_ids.length ? res.unknown_item_ids.join(', ') : '(none)',
        }));
        io.out('');
        io.out(table(ranked, ['rank', 'item_id', 'score']));
      });
    },
  },
  {
    name: 'score status',
    summary: 'Show what the answering scoring process serves per model (production, rollout arms) and which version loads failed.',
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
      };
      emit(io, out, () => {
        io.out(table(out.models.map((m) => ({ model: m.model, production: `${m.production_version} (${m.production_version_name})`,
          arms: m.arms.length ? m.arms.map((a) => `${a.arm}=${a.weight}`).join(' ') : '(no rollout)',
          shadow: m.shadow.map((a) => a.version_name).join(' ') })), ['model', 'production', 'arms', 'shadow']));
        if (out.failures.length) {
          io.out('\nfailed loads (the versions above keep serving):');
          io.out(table(out.failures as unknown as Record<string, unknown>[], ['model_version', 'version_name', 'time', 'error']));
        }
      });
    },
  },
];
