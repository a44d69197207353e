// The kinds of value an environment variable may hold (a whole number in a range, a host:port, a URL, one of a
// few words ...), each a parser that either returns the typed value or throws a ConfigError of one line naming
// the variable, the value given and what it accepts. core/config-vars.ts gives each variable its kind.
import * as fs from 'node:fs';

/** A configuration error: one line that names the variable, the value given and the values it accepts. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** How a kind shows a value it refuses: secrets are never echoed, URLs lose their password. */
export type Shown = 'plain' | 'secret' | 'url';

/** One kind of value: its parser and the accepted values in words (for messages and the docs). */
export interface Kind<T> {
  /** The accepted values, as a phrase: "a whole number from 1 to 10000". */
  readonly accepts: string;
  /** Whether an empty string is a value of this kind; otherwise an empty variable counts as unset. */
  readonly takesEmpty?: boolean;
  /** Parses a raw value, or returns the reason it is refused (a phrase after "is not"; default `accepts`). */
  parse(raw: string): { value: T } | { refused: string };
}

/** Hides the password of a URL for messages. */
export function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** The one-line error for `name` holding `raw`, shown as `shown` says. */
export function refusal(name: string, raw: string, reason: string, shown: Shown = 'plain'): ConfigError {
  const value = shown === 'secret' ? `(a value of ${raw.length} characters)` : JSON.stringify(shown === 'url' ? redact(raw) : raw);
  return new ConfigError(`${name}: ${value} is not ${reason}`);
}

const ok = <T>(value: T) => ({ value });
const no = (refused: string) => ({ refused });

/** A whole number from `min` to `max`, `unit` naming what it counts ("milliseconds", "jobs"). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, unit = ''): Kind<number> {
  const of = unit ? ` of ${unit}` : '';
  const accepts = max === Number.MAX_SAFE_INTEGER ? `a whole number${of} >= ${min}` : `a whole number${of} from ${min} to ${max}`;
  return { accepts, parse: (raw) => (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? ok(Number(raw)) : no(accepts)) };
}

/** A decimal number in [min, max], or in (min, max] when `aboveMin`. */
export function decimal(min: number, max: number, opts: { aboveMin?: boolean; unit?: string } = {}): Kind<number> {
  const of = opts.unit ? ` of ${opts.unit}` : '';
  const accepts = max === Infinity
    ? `a number${of} ${opts.aboveMin ? '>' : '>='} ${min}`
    : `a number${of} from ${min}${opts.aboveMin ? ' (excluded)' : ''} to ${max}`;
  return {
    accepts,
    parse: (raw) => {
      const n = Number(raw);
      const fits = raw.trim() !== '' && Number.isFinite(n) && (opts.aboveMin ? n > min : n >= min) && n <= max;
      return fits ? ok(n) : no(accepts);
    },
  };
}

/** One of `words`. */
export function oneOf<W extends string>(words: readonly W[]): Kind<W> {
  const accepts = `one of ${words.join(', ')}`;
  return { accepts, parse: (raw) => ((words as readonly string[]).includes(raw) ? ok(raw as W) : no(accepts)) };
}

/** A switch: 1/true or 0/false. */
export const flag: Kind<boolean> = {
  accepts: '0 or 1 (also false or true)',
  parse: (raw) => (raw === '1' || raw === 'true' ? ok(true) : raw === '0' || raw === 'false' ? ok(false) : no('0 or 1 (also false or true)')),
};

/** Any text of at least `minLength` characters; `what` names it for the docs ("a folder"). */
export function text(minLength = 1, what = 'a text'): Kind<string> {
  const accepts = minLength > 1 ? `at least ${minLength} characters` : what;
  return { accepts, parse: (raw) => (raw.length >= minLength ? ok(raw) : no(accepts)) };
}

/** Text matching `pattern`, described by `accepts`. */
export function matching(pattern: RegExp, accepts: string): Kind<string> {
  return { accepts, parse: (raw) => (pattern.test(raw) ? ok(raw) : no(accepts)) };
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Checks a host:port pair (a variable's or a flag's) and returns it, or throws naming `name`. */
export function checkAddr(name: string, value: string): string {
  const m = HOST_PORT.exec(value);
  if (!m || Number(m[2]) > 65535) throw refusal(name, value, 'host:port (for example 127.0.0.1:50051)');
  return value;
}

/** A host:port; with `off`, also `off` or empty, read as '' (the listener is disabled). */
export function hostPort(opts: { off?: boolean } = {}): Kind<string> {
  const accepts = `host:port (for example 127.0.0.1:50051)${opts.off ? ', or off' : ''}`;
  return {
    accepts,
    takesEmpty: opts.off,
    parse: (raw) => {
      if (opts.off && (raw === '' || raw === 'off')) return ok('');
      const m = HOST_PORT.exec(raw);
      return m && Number(m[2]) <= 65535 ? ok(raw) : no(accepts);
    },
  };
}

/** A URL with one of `schemes` (without the colon) and a host; `example` shows its form. */
export function url(schemes: readonly string[], example: string): Kind<string> {
  const accepts = `a URL such as ${example}`;
  return {
    accepts,
    parse: (raw) => {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        return no(accepts);
      }
      if (!schemes.includes(u.protocol.replace(/:$/, ''))) return no(`${accepts} (scheme ${u.protocol} is not supported)`);
      return u.hostname ? ok(raw) : no(`${accepts} (no host)`);
    },
  };
}

/** A comma-separated subset of `words` (duplicates dropped; empty or `all`: every word). */
export function subsetOf<W extends string>(words: readonly W[]): Kind<W[]> {
  const accepts = `a comma-separated subset of ${words.join(',')}, or all`;
  return {
    accepts,
    parse: (raw) => {
      if (raw === 'all') return ok([...words]);
      const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.find((n) => !(words as readonly string[]).includes(n));
      return unknown === undefined && names.length ? ok([...new Set(names)] as W[]) : no(accepts);
    },
  };
}

/** A file that exists (the path as given). */
export const existingFile: Kind<string> = {
  accepts: 'the path of a readable file',
  parse: (raw) => {
    try {
      fs.accessSync(raw, fs.constants.R_OK);
      return fs.statSync(raw).isFile() ? ok(raw) : no('the path of a readable file (it is not a file)');
    } catch {
      return no('the path of a readable file (there is none)');
    }
  },
};

/** An IANA time zone that this Node knows (Europe/Berlin, Asia/Kolkata, UTC). */
export const timeZone: Kind<string> = {
  accepts: 'an IANA time zone such as UTC or Asia/Kolkata',
  parse: (raw) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: raw });
      return ok(raw);
    } catch {
      return no('an IANA time zone such as UTC or Asia/Kolkata');
    }
  },
};

/** A whole number from `min` up, or `off` (read as undefined). */
export function countOrOff(min: number): Kind<number | 'off'> {
  const accepts = `a whole number >= ${min}, or off`;
  return { accepts, parse: (raw) => (raw === 'off' ? ok('off' as const) : /^\d+$/.test(raw) && Number(raw) >= min ? ok(Number(raw)) : no(accepts)) };
}
