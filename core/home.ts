// Files the platform keeps in its home folder (MODELOPS_HOME) that a client reads too. A module of its own, so a
// client that needs a path loads no store, driver or ORM.
import * as path from 'node:path';

/** The file where the embedded default keeps the first admin token (0600). */
export function adminTokenFile(home: string): string {
  return path.join(home, 'admin-token');
}
