// The parts of a request URL the router reads, taken from its href as a string (no URL object
// on the hot path): the raw path, the raw query, the query's pairs, and whether every
// %-sequence decodes. The rules are those the API had under Hono, so clients see no change:
// the first value of a repeated query key wins, `+` is a space, a key without `=` is '', an
// empty key is skipped, and malformed %-encoding in the path or a query pair is a 400.
import { HttpError } from './errors.ts';

export interface UrlParts {
  /** The path as sent (still %-encoded), e.g. `/blocks/ab%20c`. */
  path: string;
  /** The query without `?` (still encoded); '' when there is none. */
  query: string;
}

/** Path and query of an absolute href (`http://host/p?q#f`); a `?` after the `#` is the fragment's. */
export function urlParts(href: string): UrlParts {
  const start = href.indexOf('/', href.indexOf('://') + 3);
  const hash = href.indexOf('#', start);
  const end = hash === -1 ? href.length : hash;
  const q = href.indexOf('?', start);
  if (q === -1 || q > end) return { path: href.slice(start, end), query: '' };
  return { path: href.slice(start, q), query: href.slice(q + 1, end) };
}

/** Whether every %-sequence of a URL part decodes. */
function decodes(part: string): boolean {
  if (!part.includes('%')) return true;
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/** A 400 BAD_ENCODING when the path or a query pair carries malformed %-encoding (`/blocks/%E0`, `?q=%`). */
export function assertWellEncoded(parts: UrlParts): void {
  if (!decodes(parts.path)) throw new HttpError(400, 'BAD_ENCODING', 'the path has malformed %-encoding');
  if (parts.query !== '' && !parts.query.split('&').every(decodes)) throw new HttpError(400, 'BAD_ENCODING', 'the query string has malformed %-encoding');
}

/**
 * Decodes what decodes and leaves a malformed %-sequence as it is: for matching literal path
 * segments and naming the path in messages before the encoding is judged.
 */
export function lenientDecode(value: string, decode: (s: string) => string = decodeURIComponent): string {
  if (!value.includes('%')) return value;
  try {
    return decode(value);
  } catch {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decode(run);
      } catch {
        return run;
      }
    });
  }
}

/** The path as messages name it: decoded as far as it decodes, reserved characters (`%2F`) kept. */
export function displayPath(path: string): string {
  return lenientDecode(path, (s) => decodeURI(s.replace(/%25/g, '%2525')));
}

function decodeQueryPart(value: string): string {
  return lenientDecode(value.includes('+') ? value.replace(/\+/g, ' ') : value);
}

/** The query's pairs; a repeated key keeps its first value. */
export function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (query === '') return out;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decodeQueryPart(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '' || name in out) continue;
    out[name] = eq === -1 ? '' : decodeQueryPart(pair.slice(eq + 1));
  }
  return out;
}
