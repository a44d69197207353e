// Bearer tokens: created with a role, stored as sha256(secret), looked up by that hash, revoked by id.
import * as crypto from 'node:crypto';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { ApiTokenEntity, type ApiTokenRow } from './entities/api-token.entity';
import { DomainError, invalid, notFound } from '../core/errors';

/** What a token may do; each role includes the ones before it. */
export type Role = 'reader' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['reader', 'operator', 'admin'];

/** True when `have` includes everything `need` allows. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** A token as the rest of the platform sees it (no secret, no hash). */
export interface Token {
  id: string;
  role: Role;
  description: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The sha256 of a secret, hex: what the database stores. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

function toToken(row: ApiTokenRow): Token {
  return { id: row.id, role: row.role as Role, description: row.description, createdBy: row.createdBy,
    createdAt: row.createdAt, revokedAt: row.revokedAt };
}

/** Stores and checks tokens. */
export class TokenStore {
  private readonly repo: Repository<ApiTokenRow>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(ApiTokenEntity);
  }

  /**
   * Creates a token. The secret is `mo_<id>_<random>` unless one is given (MODELOPS_ADMIN_TOKEN);
   * it is returned once and never stored.
   */
  async create(role: Role, description: string, createdBy: string, secret?: string): Promise<{ token: Token; secret: string }> {
    if (!ROLES.includes(role)) throw invalid(`role: "${role}" is not one of ${ROLES.join(', ')}`);
    if (description.length > 200) throw invalid(`description: ${description.length} characters given, at most 200 allowed`);
    const id = crypto.randomBytes(6).toString('hex');
    const s = secret ?? `mo_${id}_${crypto.randomBytes(24).toString('base64url')}`;
    const row = await this.repo.save(this.repo.create({ id, secretHash: hashSecret(s), role, description, createdBy, revokedAt: null }));
    return { token: toToken(row), secret: s };
  }

  /** The valid (unrevoked) token with this secret, or undefined. */
  async verify(secret: string): Promise<Token | undefined> {
    const row = await this.repo.findOne({ where: { secretHash: hashSecret(secret), revokedAt: IsNull() } });
    return row ? toToken(row) : undefined;
  }

  /** True when at least one unrevoked admin token exists. */
  async hasAdmin(): Promise<boolean> {
    return (await this.repo.count({ where: { role: 'admin', revokedAt: IsNull() } })) > 0;
  }

  /** Tokens newest first, after the keyset `after` ([created_at ISO, id]), at most `limit`. */
  async list(opts: { after?: [string, string]; limit: number; showRevoked: boolean }): Promise<Token[]> {
    const q = this.repo.createQueryBuilder('t').orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').take(opts.limit);
    if (!opts.showRevoked) q.andWhere('t.revoked_at IS NULL');
    if (opts.after) q.andWhere('(t.created_at, t.id) < (:at, :id)', { at: opts.after[0], id: opts.after[1] });
    return (await q.getMany()).map(toToken);
  }

  /** Revokes a token by id; revoking twice keeps the first time. */
  async revoke(id: string): Promise<Token> {
    const row = await this.repo.findOne({ where: { id } });
    if (!row) throw notFound(`token "${id}" not found`);
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await this.repo.save(row);
    }
    return toToken(row);
  }
}

export { DomainError };
