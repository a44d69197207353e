// Paging for List RPCs: `page_size` with a default and a maximum, and opaque keyset page tokens (the
// sort key of the last row returned), bound to the request that made them so they cannot be replayed
// against another listing.
import * as crypto from 'node:crypto';
import { invalid } from '../../core/errors';

/** The default and maximum page sizes every List RPC documents. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Checks a requested page size and returns the effective one. */
export function pageSize(requested: number | undefined, def = DEFAULT_PAGE_SIZE, max = MAX_PAGE_SIZE): number {
  const n = requested ?? 0;
  if (!Number.isInteger(n) || n < 0) throw invalid(`page_size: ${n} is not a non-negative whole number`);
  if (n > max) throw invalid(`page_size: ${n} given, at most ${max} allowed`);
  return n === 0 ? def : n;
}

function scopeTag(scope: string): string {
  return crypto.createHash('sha256').update(scope).digest('base64url').slice(0, 10);
}

/** Encodes the sort key of the last row of a page; `scope` names the listing and its filters. */
export function encodePageToken(key: unknown[], scope: string): string {
  return Buffer.from(JSON.stringify({ k: key, s: scopeTag(scope) })).toString('base64url');
}

/** Decodes a page token made by encodePageToken for the same scope; empty means the first page. */
export function decodePageToken(token: string | undefined, scope: string): unknown[] | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; s?: unknown };
    if (Array.isArray(parsed.k) && parsed.s === scopeTag(scope)) return parsed.k;
  } catch {
    // fall through
  }
  throw invalid('page_token: not a token returned by this listing with the same filters; start again without it');
}

/** Splits rows fetched with limit+1 into the page and the next page token. */
export function pageOf<T>(rows: T[], size: number, keyOf: (row: T) => unknown[], scope: string): { items: T[]; nextPageToken: string } {
  if (rows.length <= size) return { items: rows, nextPageToken: '' };
  const items = rows.slice(0, size);
  return { items, nextPageToken: encodePageToken(keyOf(items[items.length - 1]), scope) };
}
