// Provenance: what any stored number needs to be made again — the code that made it (the package version and,
// when the server runs from a git checkout, its commit), the datasets it read, the seeds, and the full
// specification it was asked for. Versions, evaluations and experiments record one each.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readVar } from './config';

/** The code that made a resource. */
export interface CodeVersion {
  /** The package version (package.json), such as 0.1.0. */
  code_version: string;
  /** The git commit of the checkout, or MODELOPS_GIT_COMMIT; empty when neither is known. */
  git_commit: string;
  /** Whether the checkout had uncommitted changes (false when unknown or taken from MODELOPS_GIT_COMMIT). */
  git_dirty: boolean;
}

/** The provenance of a resource, stored as JSON with these (snake_case) keys. */
export interface Provenance extends CodeVersion {
  /** The datasets read. */
  dataset_ids: string[];
  /** The training seeds. */
  seeds: number[];
  /** The full specification the resource was made from. */
  spec: unknown;
}

/** The repository root: the nearest folder above this file that holds package.json (from core/ and from dist/core/). */
function packageRoot(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined; // no git, or not a checkout (an installed package)
  }
}

let cached: CodeVersion | undefined;

/** The code version of this process, read once: MODELOPS_GIT_COMMIT wins over the checkout's HEAD (for images built without .git). */
export function codeVersion(): CodeVersion {
  if (cached) return cached;
  const root = packageRoot();
  let version = '';
  try {
    version = root ? String(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version ?? '') : '';
  } catch {
    version = '';
  }
  const fromEnv = readVar('MODELOPS_GIT_COMMIT')?.trim();
  const commit = fromEnv || (root ? git(root, ['rev-parse', 'HEAD']) ?? '' : '');
  const dirty = !fromEnv && !!commit && !!root && (git(root, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '';
  cached = { code_version: version, git_commit: commit, git_dirty: dirty };
  return cached;
}

/** The provenance of a resource made now by this process from `datasetIds`, `seeds` and `spec`. */
export function provenanceOf(input: { datasetIds: string[]; seeds: number[]; spec: unknown }): Provenance {
  return { ...codeVersion(), dataset_ids: [...input.datasetIds], seeds: [...input.seeds], spec: input.spec };
}
