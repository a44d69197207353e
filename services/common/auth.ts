// Access control: one server interceptor checks the bearer token of every call against the role that the
// called RPC declares, before any handler runs (so a caller cannot probe which resources exist). The
// verified principal is passed to the handler in metadata that the interceptor alone sets.
import { Metadata, status, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { isUnavailable } from '../../core/errors';
import { statusDetails } from './errors';
import { hashSecret, roleAllows, type Role, type Token, type TokenStore } from '../../registry/token-store';

/** The roles of RPCs, keyed by full method path (`/modelops.v1.ScoringService/Score`). */
export type RoleTable = Map<string, Role>;

/** Metadata keys the interceptor sets after verification; any the client sent are removed first. */
export const PRINCIPAL_ID = 'x-modelops-principal-id';
export const PRINCIPAL_ROLE = 'x-modelops-principal-role';
export const PRINCIPAL_NAME = 'x-modelops-principal';

/** Who called: the token id, its role and its description, or "anonymous" for an open read. */
export interface Principal {
  tokenId: string;
  role: Role | 'anonymous';
  /** What audit logs record as the actor: the token's description, else `token:<id>`. */
  actor: string;
}

/** The principal the interceptor verified for this call. */
export function principalOf(metadata: Metadata): Principal {
  const id = String(metadata.get(PRINCIPAL_ID)[0] ?? '');
  const role = String(metadata.get(PRINCIPAL_ROLE)[0] ?? 'anonymous') as Principal['role'];
  const actor = String(metadata.get(PRINCIPAL_NAME)[0] ?? 'anonymous');
  return { tokenId: id, role, actor };
}

/**
 * Verifies secrets with a short cache, so that Score does not cost a database round trip per call. While the
 * database cannot be asked, a secret verified within the last `staleMs` keeps its last answer: Score and the
 * other reads keep serving through a Postgres restart. A revocation needs the database too, so none can be
 * missed by this process meanwhile; one made by another server just before the outage takes effect here
 * when the database answers again.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { token: Token | undefined; until: number; checked: number }>();

  constructor(private readonly store: TokenStore, private readonly ttlMs = 5_000, private readonly staleMs = 10 * 60_000) {}

  async verify(secret: string): Promise<Token | undefined> {
    const key = hashSecret(secret);
    const hit = this.cache.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.token;
    let token: Token | undefined;
    try {
      token = await this.store.verify(secret);
    } catch (err) {
      if (hit && now - hit.checked < this.staleMs) return hit.token;
      throw err;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { token, until: Date.now() + this.ttlMs, checked: Date.now() });
    return token;
  }

  /** Forgets cached answers (after a revoke in this process). */
  clear(): void {
    this.cache.clear();
  }
}

function bearer(metadata: Metadata): string | undefined {
  const raw = metadata.get('authorization')[0];
  if (raw === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(raw));
  return m ? m[1] : '';
}

/**
 * The access interceptor. Methods not in `roles` (health, reflection) are open; a platform method
 * missing from the table cannot happen, since the server refuses to start with one (services/server.ts).
 */
export function accessInterceptor(opts: {
  roles: RoleTable; verifier: TokenVerifier; requireTokenForReads: boolean; log: Logger;
}): ServerInterceptor {
  return (methodDescriptor, call) => {
    const need = opts.roles.get(methodDescriptor.path);
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, nextMetadata) {
            for (const k of [PRINCIPAL_ID, PRINCIPAL_ROLE, PRINCIPAL_NAME]) metadata.remove(k);
            if (!need) {
              nextMetadata(metadata);
              return;
            }
            const secret = bearer(metadata);
            const open = need === 'reader' && !opts.requireTokenForReads;
            if (secret === undefined && open) {
              nextMetadata(metadata);
              return;
            }
            const refuse = (code: status, details: string) => call.sendStatus({ code, details: statusDetails(details), metadata: new Metadata() });
            if (!secret) {
              refuse(status.UNAUTHENTICATED, `${methodDescriptor.path} needs a token with role ${need}: send "authorization: Bearer <token>" (MODELOPS_TOKEN for the CLI)`);
              return;
            }
            opts.verifier.verify(secret).then((token) => {
              if (!token) {
                refuse(status.UNAUTHENTICATED, 'the bearer token is unknown or revoked');
              } else if (!roleAllows(token.role, need)) {
                refuse(status.PERMISSION_DENIED, `${methodDescriptor.path} needs role ${need}; this token has role ${token.role}`);
              } else {
                metadata.set(PRINCIPAL_ID, token.id);
                metadata.set(PRINCIPAL_ROLE, token.role);
                metadata.set(PRINCIPAL_NAME, token.description || `token:${token.id}`);
                nextMetadata(metadata);
              }
            }, (err: unknown) => {
              if (isUnavailable(err)) opts.log.warn({ err: (err as Error).message }, 'token verification: the database cannot be reached');
              else opts.log.error({ err }, 'token verification failed');
              refuse(status.UNAVAILABLE, 'cannot verify the token now (database unavailable); retry');
            });
          },
        });
      },
    });
  };
}
