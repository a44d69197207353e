// What `modelops score` and `modelops retrieve` share: the flags of one serving call (model, context, request id,
// deadline), their reading, and the ranked answer as a table, so the two commands cannot drift apart.
import { num, str, UsageError, type Args, type FlagSpec, type Io } from './command';
import { emit, fields, table } from './output';

/** The flags every serving call takes besides its own (user, items, top-k, ...). */
export const SERVING_FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', description: 'The model id (or give it as the first argument).', placeholder: 'MODEL' },
  hod: { type: 'number', description: 'Hour of day 0-23 in the model\'s market time zone (default: now).', placeholder: 'H' },
  dow: { type: 'number', description: 'Day of week, 0 = Monday .. 6 = Sunday (default: today).', placeholder: 'D' },
  handset: { type: 'string', description: 'The user\'s handset maker (default: the stored one).', placeholder: 'MAKER' },
  'request-id': { type: 'string', description: 'Your id for this request (default: the server makes one).', placeholder: 'ID' },
  'deadline-ms': { type: 'number', description: 'Give up after this many milliseconds (default 10000).', placeholder: 'MS' },
};

/** The model (first argument or --model, not both differently) and the user (--user); usage errors name `usage`. */
export function modelAndUser(args: Args, usage: string): { model: string; user: string } {
  const fromFlag = str(args, 'model');
  const model = args.positional[0] ?? fromFlag;
  if (args.positional[0] && fromFlag && args.positional[0] !== fromFlag) {
    throw new UsageError(`the model is given twice ("${args.positional[0]}" and --model ${fromFlag}); give it once`);
  }
  if (!model) throw new UsageError(`missing the model: usage \`${usage}\``);
  const user = str(args, 'user');
  if (!user) throw new UsageError('--user is required');
  return { model, user };
}

/** The request fields every serving call sends (context, request id) and the call's deadline. */
export function servingRequest(args: Args): { fields: { context: Record<string, unknown>; request_id: string }; deadlineMs: number } {
  const context: Record<string, unknown> = { handset_maker: str(args, 'handset') ?? '' };
  if (num(args, 'hod') !== undefined) context.hod = num(args, 'hod');
  if (num(args, 'dow') !== undefined) context.dow = num(args, 'dow');
  return { fields: { context, request_id: str(args, 'request-id') ?? '' }, deadlineMs: num(args, 'deadline-ms') ?? 10_000 };
}

/** What a serving response carries in common. */
interface ServedList {
  item_ids: string[];
  scores: number[];
  model_version: string;
  version_name: string;
  arm: string;
  request_id: string;
  cold_start_user: boolean;
}

/** Prints a ranked answer: its JSON (with `extra` fields) or the version line and the ranked table. */
export function printRanked(io: Io, res: ServedList, extra: Record<string, unknown> = {}, extraFields: Record<string, unknown> = {}): void {
  const ranked = res.item_ids.map((id, i) => ({ rank: i + 1, item_id: id, score: res.scores[i] }));
  const out = {
    model_version: res.model_version, version_name: res.version_name, arm: res.arm, request_id: res.request_id,
    cold_start_user: res.cold_start_user, ...extra, items: ranked,
  };
  emit(io, out, () => {
    io.out(fields({ version: `${res.model_version} (${res.version_name})`, arm: res.arm, request_id: res.request_id,
      cold_start_user: res.cold_start_user, ...extraFields }));
    io.out('');
    io.out(table(ranked, ['rank', 'item_id', 'score']));
  });
}
