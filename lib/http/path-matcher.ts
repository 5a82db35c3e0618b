// Matches request paths against the OpenAPI-form paths of a route table (`/blocks/{id}`), the
// way the API matched them under Hono (non-strict): one trailing slash is ignored (`/health/`
// is `/health`), matching is case-sensitive, a literal segment matches its %-decoded form
// (`/heal%74h`), a `{name}` segment matches any non-empty segment, and the parameter's value is
// handed over still encoded (the router decodes it once it has checked the encoding).

/** A compiled table path. */
export interface PathPattern {
  /** The table's form, e.g. `/blocks/{id}`. */
  readonly path: string;
  /** Per segment: the literal text, or the parameter's name. */
  readonly segments: ReadonlyArray<{ literal: string } | { param: string }>;
}

export function compilePath(path: string): PathPattern {
  const segments = path
    .slice(1)
    .split('/')
    .map((s) => {
      const m = /^\{(\w+)\}$/.exec(s);
      if (m) return { param: m[1] };
      if (s.includes('{')) throw new Error(`route path ${path}: a parameter must fill a whole segment`);
      return { literal: s };
    });
  return { path, segments };
}

/** The path without one trailing slash (`/health/` → `/health`; `/` stays): what routes and messages see. */
export function routedPath(rawPath: string): string {
  return rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
}

/** The segments of a routed path (still %-encoded). */
export function pathSegments(path: string): string[] {
  return path.slice(1).split('/');
}

/** A literal segment as sent: `%`-sequences that decode are compared decoded (`%2F` stays, as in a URL). */
function literalMatches(literal: string, segment: string): boolean {
  if (segment === literal) return true;
  if (!segment.includes('%')) return false;
  try {
    return decodeURI(segment) === literal;
  } catch {
    return false;
  }
}

/** The raw (encoded) parameter values when `segments` match `pattern`, else null. */
export function matchPath(pattern: PathPattern, segments: readonly string[]): Record<string, string> | null {
  if (segments.length !== pattern.segments.length) return null;
  let params: Record<string, string> | null = null;
  for (let i = 0; i < segments.length; i++) {
    const want = pattern.segments[i];
    const got = segments[i];
    if ('literal' in want) {
      if (!literalMatches(want.literal, got)) return null;
    } else {
      if (got === '') return null;
      (params ??= {})[want.param] = got;
    }
  }
  return params ?? {};
}
