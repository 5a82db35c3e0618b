'use client';
// Text from the server (feed lines, alert messages) with node names turned into links.
import Link from 'next/link';

/** The message with every node name in it turned into a link to that node's page. */
export function LinkedNames({ text, ids }: { text: string; ids: Map<string, string> }) {
  if (ids.size === 0) return <>{text}</>;
  const names = [...ids.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = text.split(new RegExp(`\\b(${names.join('|')})\\b`));
  return (
    <>
      {parts.map((p, i) =>
        ids.has(p) ? (
          <Link key={i} href={`/nodes/${encodeURIComponent(ids.get(p)!)}`}>
            {p}
          </Link>
        ) : (
          p
        ),
      )}
    </>
  );
}
