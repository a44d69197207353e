// The one configuration reader: every environment variable of core/config-vars.ts is read here, parsed by its
// kind and checked, and nothing else reads `process.env` (test/foundation/env-reads.test.ts). A bad value is a
// ConfigError of one line naming the variable, the value and what it accepts; an unset variable takes its
// documented default, and a value that does not parse never falls back to it.
import { refusal } from './config-kinds';
import { VARS, type Scope, type VarName, type VarSpec, type VarValue } from './config-vars';

export { ConfigError, checkAddr, redact } from './config-kinds';
export { VARS, SERVICES, type Scope, type VarName, type VarSpec, type VarValue } from './config-vars';

/** Where variables are read from: this process's environment, or a map a caller (a test) passes. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The environment of this process, as it is at the call (tests set variables before starting a server). */
const processEnv = (): EnvSource => process.env;

/**
 * The value of `name` in `source`: its default when unset (or empty, unless its kind takes an empty value),
 * else the parsed value; a value that does not parse throws a ConfigError naming the variable.
 */
export function readVar<N extends VarName>(name: N, source: EnvSource = processEnv()): VarValue<N> {
  const spec = VARS[name] as VarSpec<VarValue<N>>;
  const raw = source[name];
  // A list default is copied, so a caller that changes its value cannot change the default.
  if (raw === undefined || (raw === '' && !spec.kind.takesEmpty)) return (Array.isArray(spec.fallback) ? [...spec.fallback] : spec.fallback) as VarValue<N>;
  const parsed = spec.kind.parse(raw);
  if ('refused' in parsed) {
    const unset = spec.fallback === undefined ? '' : `; unset, it is ${spec.shownDefault.replace(/`/g, '')}`;
    throw refusal(name, raw, `${parsed.refused}${unset}`, spec.shown);
  }
  return parsed.value;
}

/** Whether `name` holds a value in `source` (set and, unless its kind takes an empty value, not empty). */
export function isSet(name: VarName, source: EnvSource = processEnv()): boolean {
  const raw = source[name];
  return raw !== undefined && (raw !== '' || !!VARS[name].kind.takesEmpty);
}

/**
 * Reads every variable of `scopes` except `skip` (those a flag overrides), so a process refuses a bad value at
 * start, before it opens anything, rather than when the service that reads it starts. Throws the first error.
 */
export function checkVars(scopes: readonly Scope[], source: EnvSource = processEnv(), skip: readonly VarName[] = []): void {
  for (const name of Object.keys(VARS) as VarName[]) {
    if (scopes.includes(VARS[name].scope) && !skip.includes(name)) readVar(name, source);
  }
}

