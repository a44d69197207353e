// `modelops models list|create|show`: the registry's models (one per market, e.g. feed-ranker-hi).
import { need, str, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, isoTime, table } from '../output';
import type { Model__Output } from '../../proto/gen/modelops/v1/Model';
import type { CreateModelResponse__Output } from '../../proto/gen/modelops/v1/CreateModelResponse';
import type { GetModelResponse__Output } from '../../proto/gen/modelops/v1/GetModelResponse';
import type { ListModelsResponse__Output } from '../../proto/gen/modelops/v1/ListModelsResponse';
import { emitPage, pageFlags, pageOf } from '../paging';

/** A model as the CLI prints it. */
export function plainModel(m: Model__Output | null) {
  if (!m) return null;
  return { id: m.id, description: m.description, created_by: m.created_by, created: isoTime(m.create_time),
    aliases: Object.fromEntries(m.aliases.map((a) => [a.alias, { number: a.version_number, name: a.version_name }])) };
}

function aliasText(a: Record<string, { number: number; name: string }>): string {
  return Object.entries(a).map(([k, v]) => `${k}=${v.name}`).join(' ');
}

/** The CLI commands `models list|create|show` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'models list',
    summary: 'List models with their aliases.',
    flags: pageFlags('Models'),
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, ListModelsResponse__Output>(target, clientOf('RegistryService', target), 'ListModels',
        pageOf(args));
      const rows = res.models.map(plainModel);
      emitPage(io, 'models', rows, res.next_page_token, () => {
        io.out(table(rows.map((m) => ({ id: m!.id, aliases: aliasText(m!.aliases), description: m!.description, created: m!.created }))));
      });
    },
  },
  {
    name: 'models create',
    summary: 'Create a model (lower-case letters, digits, "-" and "_"), e.g. feed-ranker-hi.',
    usage: '<model>',
    flags: { description: { type: 'string', description: 'What the model is for.', placeholder: 'TEXT' } },
    async run(args, io) {
      const id = need(args, 0, '<model>', 'models create <model>');
      const target = targetOf(args);
      const res = await call<object, CreateModelResponse__Output>(target, clientOf('RegistryService', target), 'CreateModel',
        { model_id: id, description: str(args, 'description') ?? '' });
      const m = plainModel(res.model);
      emit(io, { model: m }, () => io.out(`created model ${m!.id}`));
    },
  },
  {
    name: 'models show',
    summary: 'Show a model and its aliases.',
    usage: '<model>',
    async run(args, io) {
      const id = need(args, 0, '<model>', 'models show <model>');
      const target = targetOf(args);
      const res = await call<object, GetModelResponse__Output>(target, clientOf('RegistryService', target), 'GetModel', { name: id });
      const m = plainModel(res.model);
      emit(io, { model: m }, () => io.out(fields({ ...m!, aliases: aliasText(m!.aliases) })));
    },
  },
];
