// `modelops alias set|delete`: free aliases such as baseline (production and previous move by promote/rollback).
import { need, str, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit } from '../output';
import type { SetAliasResponse__Output } from '../../proto/gen/modelops/v1/SetAliasResponse';
import type { DeleteAliasResponse__Output } from '../../proto/gen/modelops/v1/DeleteAliasResponse';
import { plainVersion } from './versions';
import { plainModel } from './models';

const reasonFlag = { reason: { type: 'string' as const, description: 'Why, for the audit log.', placeholder: 'TEXT' } };

/** The CLI commands `alias set|delete` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'alias set',
    summary: 'Point an alias (e.g. baseline) at a version.',
    usage: '<model> <alias> <version-name-or-number>',
    flags: reasonFlag,
    async run(args, io) {
      const usage = 'alias set <model> <alias> <version>';
      const model = need(args, 0, '<model>', usage);
      const alias = need(args, 1, '<alias>', usage);
      const version = need(args, 2, '<version>', usage);
      const target = targetOf(args);
      const res = await call<object, SetAliasResponse__Output>(target, clientOf('RegistryService', target), 'SetAlias',
        { model, alias, version, reason: str(args, 'reason') ?? '' });
      const v = plainVersion(res.version);
      emit(io, { alias, version: v }, () => io.out(`${model}: ${alias} -> ${v!.name} (version ${v!.number})`));
    },
  },
  {
    name: 'alias delete',
    summary: 'Remove an alias.',
    usage: '<model> <alias>',
    flags: reasonFlag,
    async run(args, io) {
      const model = need(args, 0, '<model>', 'alias delete <model> <alias>');
      const alias = need(args, 1, '<alias>', 'alias delete <model> <alias>');
      const target = targetOf(args);
      const res = await call<object, DeleteAliasResponse__Output>(target, clientOf('RegistryService', target), 'DeleteAlias',
        { model, alias, reason: str(args, 'reason') ?? '' });
      emit(io, { deleted: alias, model: plainModel(res.model) }, () => io.out(`${model}: removed alias ${alias}`));
    },
  },
];
