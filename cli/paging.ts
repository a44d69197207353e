// Paged list commands: the --page-size and --page-token flags, the request fields they become, and the answer:
// the rows and next_page_token under --json, else the human output and a `more: --page-token T` line when the
// server has another page.
import type { Args, FlagSpec, Io } from './command';
import { num, str } from './command';
import { emit } from './output';

/** The two paging flags of a list command; `plural` names what a page holds ("Models"). */
export function pageFlags(plural: string): Record<'page-size' | 'page-token', FlagSpec> {
  return {
    'page-size': { type: 'number', description: `${plural} per page (default 50, max 500).` },
    'page-token': { type: 'string', description: 'Continue from a previous page.' },
  };
}

/** The page fields of a List request, from the flags (0 and '' ask for the server's default and the first page). */
export function pageOf(args: Args): { page_size: number; page_token: string } {
  return { page_size: num(args, 'page-size') ?? 0, page_token: str(args, 'page-token') ?? '' };
}

/** Writes one page: `{ [key]: rows, next_page_token }` as JSON, else `human()` and the flag that reads the next page. */
export function emitPage(io: Io, key: string, rows: unknown[], nextPageToken: string, human: () => void): void {
  emit(io, { [key]: rows, next_page_token: nextPageToken }, () => {
    human();
    if (nextPageToken) io.out(`more: --page-token ${nextPageToken}`);
  });
}
