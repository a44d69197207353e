// Where the embedded default keeps its first admin token, apart from context.ts: the CLI reads this file on
// every command, and context.ts loads every store of the server (about 880 modules, typeorm among them),
// which was most of a CLI command's start (1.5 of 2.0 s wall for `data build` on a loaded 2-core host).
import * as path from 'node:path';

/** The file where the embedded default keeps the first admin token (0600). */
export function adminTokenFile(home: string): string {
  return path.join(home, 'admin-token');
}
