// `modelops tokens create|list|revoke`: manage bearer tokens (admin).
import { bool, need, num, str, UsageError, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, isoTime, table } from '../output';
import type { CreateTokenResponse__Output } from '../../proto/gen/modelops/v1/CreateTokenResponse';
import type { ListTokensResponse__Output } from '../../proto/gen/modelops/v1/ListTokensResponse';
import type { RevokeTokenResponse__Output } from '../../proto/gen/modelops/v1/RevokeTokenResponse';
import type { Token__Output } from '../../proto/gen/modelops/v1/Token';

const ROLES = ['reader', 'operator', 'admin'];

function plain(t: Token__Output | null) {
  if (!t) return null;
  return { id: t.id, role: t.role.replace('ROLE_', '').toLowerCase(), description: t.description,
    created_by: t.created_by, created: isoTime(t.create_time), revoked: isoTime(t.revoke_time) };
}

export const commands: Command[] = [
  {
    name: 'tokens create',
    summary: 'Create a bearer token with a role (reader, operator or admin); the secret is shown once.',
    flags: {
      role: { type: 'string', description: 'reader | operator | admin.', placeholder: 'ROLE' },
      description: { type: 'string', description: 'Who or what uses the token.', placeholder: 'TEXT' },
    },
    async run(args, io) {
      const role = str(args, 'role') ?? '';
      if (!ROLES.includes(role)) throw new UsageError(`--role: "${role}" is not one of ${ROLES.join(', ')}`);
      const target = targetOf(args);
      const res = await call<object, CreateTokenResponse__Output>(target, clientOf('AuthService', target), 'CreateToken',
        { role: `ROLE_${role.toUpperCase()}`, description: str(args, 'description') ?? '' });
      const out = { token: plain(res.token), secret: res.secret };
      emit(io, out, () => io.out(`${fields({ ...out.token, secret: res.secret })}\n\nKeep the secret: it is not shown again. Use it as MODELOPS_TOKEN=${res.secret}`));
    },
  },
  {
    name: 'tokens list',
    summary: 'List tokens (never their secrets), newest first.',
    flags: {
      all: { type: 'boolean', description: 'Include revoked tokens.' },
      'page-size': { type: 'number', description: 'Tokens per page (default 50, max 500).' },
      'page-token': { type: 'string', description: 'Continue from a previous page.' },
    },
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, ListTokensResponse__Output>(target, clientOf('AuthService', target), 'ListTokens',
        { page_size: num(args, 'page-size') ?? 0, page_token: str(args, 'page-token') ?? '', show_revoked: bool(args, 'all') });
      const rows = res.tokens.map(plain);
      emit(io, { tokens: rows, next_page_token: res.next_page_token }, () => {
        io.out(table(rows as Record<string, unknown>[], ['id', 'role', 'description', 'created_by', 'created', 'revoked']));
        if (res.next_page_token) io.out(`more: --page-token ${res.next_page_token}`);
      });
    },
  },
  {
    name: 'tokens revoke',
    summary: 'Revoke a token by id; it is refused from then on.',
    usage: '<token-id>',
    async run(args, io) {
      const id = need(args, 0, '<token-id>', 'tokens revoke <token-id>');
      const target = targetOf(args);
      const res = await call<object, RevokeTokenResponse__Output>(target, clientOf('AuthService', target), 'RevokeToken', { name: id });
      emit(io, { token: plain(res.token) }, () => io.out(`revoked token ${res.token?.id}`));
    },
  },
];
