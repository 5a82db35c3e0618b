// What one HTTP route is, as data: method, path, the zod schemas of its input and answer,
// whether it needs the token, and documented examples. Node and control plane each declare
// their routes once in a table of these (wire/node-routes.ts, wire/server-routes.ts); the
// router (lib/http), the OpenAPI documents, the typed clients and the app's fetchers are all
// built from those tables. Plain data and zod only, so the browser may import it.
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** One documented request/answer pair; a test checks each part against its schema. */
export interface RouteExample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  response?: unknown;
}

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI form: `/blocks/{id}`. */
  path: string;
  summary: string;
  tags?: readonly string[];
  /** 'token': the router checks the credential before validating anything else. */
  auth: 'public' | 'token';
  /**
   * A write a browser makes on its own authority whatever the credential (sign-in, sign-out):
   * refused from another origin (403 CROSS_ORIGIN) by a host that knows its origins.
   */
  sameOrigin?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  /** Status of a successful answer. */
  status: 200 | 201 | 202;
  /** 'text' answers a string (e.g. Prometheus metrics); default JSON. */
  format?: 'json' | 'text';
  /** Request body cap in bytes (the host's default when absent). */
  bodyLimit?: number;
  /** Error codes for invalid input, where a client relies on a more precise one than the table's default. */
  invalid?: { params?: string; query?: string; body?: string };
  examples?: readonly RouteExample[];
}

/** A table of routes keyed by a stable route id (the key becomes the operationId). */
export type RouteTable = Record<string, RouteSpec>;

/** Declares a route, keeping its literal types (so handlers and clients are typed from it). */
export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

type Out<S, K extends 'params' | 'query' | 'body'> = S extends Record<K, infer T extends z.ZodType> ? z.output<T> : undefined;
type In<S, K extends 'params' | 'query' | 'body'> = S extends Record<K, infer T extends z.ZodType> ? z.input<T> : undefined;

/** What a handler receives after validation. */
export type RouteParams<S extends RouteSpec> = Out<S, 'params'>;
export type RouteQuery<S extends RouteSpec> = Out<S, 'query'>;
export type RouteBody<S extends RouteSpec> = Out<S, 'body'>;
/** What a handler answers, and what a client receives. */
export type RouteResponse<S extends RouteSpec> = z.output<S['response']>;

type Field<K extends string, T> = [T] extends [undefined] ? { [P in K]?: undefined } : { [P in K]: T };
/** What a client sends: input types (before defaults and coercion). */
export type RouteInput<S extends RouteSpec> = Field<'params', In<S, 'params'>> & Field<'query', In<S, 'query'>> & Field<'body', In<S, 'body'>>;

/** `/blocks/{id}` with `{ id: 'ab' }` → `/blocks/ab` (each value URI-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new Error(`path ${path} needs parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

/** The query string of a request (`?a=1&b=x`, or '' when nothing is set); undefined values are left out. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter((e) => e[1] !== undefined && e[1] !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The path and query a client requests for a route. */
export function routeUrl(spec: RouteSpec, input: { params?: unknown; query?: unknown }): string {
  return fillPath(spec.path, input.params as Record<string, unknown> | undefined) + queryString(input.query as Record<string, unknown> | undefined);
}
