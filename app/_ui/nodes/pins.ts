// Pure rules of pinned nodes (issue 16: users of live dashboards pin the nodes they watch to
// the top). Pins are node ids kept in the browser's localStorage as a JSON array; anything
// else read there (another version's value, a hand edit) counts as no pins, never a crash.

/** The pinned ids stored under a key: a JSON array of strings, or none. */
export function parsePins(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string'))] : [];
  } catch {
    return [];
  }
}

/** `ids` with `id` pinned if it was not, unpinned if it was (pin order kept: the newest pin last). */
export function togglePin(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

/** Pinned rows first, in the order they were pinned, then the others in their own order. */
export function pinnedFirst<Row extends { id: string }>(rows: readonly Row[], pinned: readonly string[]): Row[] {
  if (pinned.length === 0) return [...rows];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const top = pinned.flatMap((id) => byId.get(id) ?? []);
  const pinnedSet = new Set(pinned);
  return [...top, ...rows.filter((r) => !pinnedSet.has(r.id))];
}
