// The registry's name checks: model ids and aliases (restricted, they become part of keys and URLs), version
// names (free text, never in a key) and artifact file names (relative paths inside a version's prefix).
import { versionName } from '../core/names';
import { invalid } from '../core/errors';

const MODEL_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_NAME = 200;

/** Checks a model id (it becomes part of artifact keys, so it is restricted). */
export function checkModelId(id: string): string {
  if (!MODEL_ID.test(id ?? '')) {
    throw invalid(`model: "${id}" is not a model id; use 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (e.g. feed-ranker-hi)`);
  }
  return id;
}

/** Checks an alias name. */
export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias ?? '')) throw invalid(`alias: "${alias}" is not an alias name; use 1-63 lower-case letters, digits, "-" or "_", starting with a letter`);
  return alias;
}

/** Checks a version name: any text (stored verbatim, never used in a key) of 1-200 characters without NUL. */
export function checkVersionName(name: string): string {
  if (!name) throw invalid('name: a version name is required (e.g. prod-wtg-2)');
  if ([...name].length > MAX_NAME) throw invalid(`name: ${[...name].length} characters given, at most ${MAX_NAME} allowed`);
  if (name.includes('\0')) throw invalid('name: NUL characters are not allowed');
  if (/^\d+$/.test(name)) throw invalid(`name: "${name}" is all digits, which reads as a version number; add a letter`);
  return name;
}

/** The key prefix of a version's artifacts: models/{model}/versions/{number}/ (the number, never the name). */
export function versionPrefix(model: string, number: number): string {
  return `${versionName(checkModelId(model), number)}/`;
}

/** Checks the name of a file of a version: a clean relative path inside the version's prefix, never the manifest. */
export function checkFileName(name: string): string {
  // A file name is a relative path inside the version's prefix (tfjs/weights.bin is fine, ../x is not).
  if (!name || name.startsWith('/') || name.includes('\0') || name.includes('\\')
    || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw invalid(`files: "${name}" is not a clean relative file name (no "..", no leading "/")`);
  }
  if (name === 'manifest.json') throw invalid('files: "manifest.json" is written by the registry; do not pass it');
  return name;
}
