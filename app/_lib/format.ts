// Small display helpers shared by the explorer's components.
export function shortHash(hash: string | null | undefined, chars = 10): string {
  if (!hash) return '—';
  return hash.length > chars + 2 ? `${hash.slice(0, chars)}…` : hash;
}

export function age(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ago` : `${Math.floor(h / 24)}d ago`;
}
