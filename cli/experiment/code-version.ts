// The code that runs an experiment, as its record names it: the package version and, when the working folder
// is a git checkout, its commit (with "+dirty" when it has uncommitted changes).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

let cached: string | undefined;

/** "modelops 0.1.0 (git abc1234…)" or "modelops 0.1.0" where git is not available. */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const root = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(root, 'package.json')) as { version: string };
  let git = process.env.MODELOPS_GIT_COMMIT ?? '';
  if (!git) {
    try {
      const opts = { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] as ('ignore' | 'pipe')[], timeout: 5000 };
      git = execFileSync('git', ['rev-parse', 'HEAD'], opts).toString().trim();
      if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).toString().trim()) git += '+dirty';
    } catch {
      git = '';
    }
  }
  cached = `modelops ${pkg.version}${git ? ` (git ${git})` : ''}`;
  return cached;
}
