// Chaos actions name nodes by id (what the nodes' link rules match on) or, as people and
// scenario files do, by name. One pass maps names to ids wherever a node is named.
import { ChaosActionSchema, type ChaosAction } from '../../wire/chaos-api.ts';

/**
 * Replaces node names by ids anywhere an action names a node (node, from, to, groups,
 * select.ids): scenarios and people name nodes (`node-1`), the nodes' rules use ids.
 */
export function resolveNames(body: Record<string, unknown>, idOf: (nameOrId: string) => string): ChaosAction {
  const map = (v: unknown): unknown => (typeof v === 'string' ? idOf(v) : v);
  const out: Record<string, unknown> = { ...body };
  if (typeof out.node === 'string') out.node = map(out.node);
  if (Array.isArray(out.groups)) out.groups = (out.groups as unknown[][]).map((g) => g.map(map));
  const select = out.select as { pick?: unknown; ids?: unknown } | undefined;
  if (select?.pick === 'ids' && Array.isArray(select.ids)) out.select = { ...select, ids: select.ids.map(map) };
  if (out.target && typeof out.target === 'object') {
    const t = { ...(out.target as Record<string, unknown>) };
    for (const k of ['node', 'from', 'to']) if (typeof t[k] === 'string') t[k] = map(t[k]);
    out.target = t;
  }
  return ChaosActionSchema.parse(out);
}
