// AuthService: create, list and revoke bearer tokens (admin only).
import { loadProtos } from '../../proto/load';
import type { AuthServiceHandlers } from '../../proto/gen/modelops/v1/AuthService';
import type { Token as TokenMsg } from '../../proto/gen/modelops/v1/Token';
import type { Role as RoleEnum } from '../../proto/gen/modelops/v1/Role';
import { invalid } from '../../core/errors';
import { unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { ServiceFactory } from '../common/context';
import type { Role, Token } from '../../registry/token-store';
import { toTimestamp } from '../common/timestamp';

const ROLE_TO_ENUM: Record<Role, RoleEnum> = { reader: 'ROLE_READER', operator: 'ROLE_OPERATOR', admin: 'ROLE_ADMIN' };

function roleFromEnum(value: unknown): Role {
  const found = (Object.keys(ROLE_TO_ENUM) as Role[]).find((r) => ROLE_TO_ENUM[r] === value);
  if (!found) throw invalid(`role: "${String(value)}" is not one of ROLE_READER, ROLE_OPERATOR, ROLE_ADMIN`);
  return found;
}

function toMsg(t: Token): TokenMsg {
  return { name: `tokens/${t.id}`, id: t.id, role: ROLE_TO_ENUM[t.role], description: t.description,
    created_by: t.createdBy, create_time: toTimestamp(t.createdAt), revoke_time: toTimestamp(t.revokedAt) };
}

export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const handlers: AuthServiceHandlers = {
    CreateToken: unary(env, 'CreateToken', async (req, call) => {
      const { token, secret } = await ctx.tokens.create(roleFromEnum(req.role), req.description, call.principal.actor);
      return { token: toMsg(token), secret };
    }),
    ListTokens: unary(env, 'ListTokens', async (req) => {
      const size = pageSize(req.page_size);
      const scope = `tokens:${req.show_revoked}`;
      const key = decodePageToken(req.page_token, scope) as [string, string] | undefined;
      const rows = await ctx.tokens.list({ after: key, limit: size + 1, showRevoked: req.show_revoked });
      const page = pageOf(rows, size, (t) => [t.createdAt.toISOString(), t.id], scope);
      return { tokens: page.items.map(toMsg), next_page_token: page.nextPageToken };
    }),
    RevokeToken: unary(env, 'RevokeToken', async (req) => {
      const id = req.name.replace(/^tokens\//, '');
      if (!id) throw invalid('name: give the token id or tokens/{id}');
      const token = await ctx.tokens.revoke(id);
      ctx.verifier.clear();
      return { token: toMsg(token) };
    }),
  };
  return {
    definition: loadProtos().v1.AuthService.service,
    handlers,
    roles: { CreateToken: 'admin', ListTokens: 'admin', RevokeToken: 'admin' },
  };
};
