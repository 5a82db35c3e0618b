'use client';
// The main navigation, with the current section marked for sighted and screen-reader users.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const sections = [
  { href: '/', label: 'Overview', match: (p: string) => p === '/' || p.startsWith('/nodes') },
  { href: '/blocks', label: 'Blocks', match: (p: string) => p.startsWith('/blocks') || p.startsWith('/txs') },
  { href: '/consensus', label: 'Consensus', match: (p: string) => p.startsWith('/consensus') },
  { href: '/forks', label: 'Forks', match: (p: string) => p.startsWith('/forks') },
  { href: '/peers', label: 'Peers', match: (p: string) => p.startsWith('/peers') },
  { href: '/chaos', label: 'Chaos', match: (p: string) => p.startsWith('/chaos') },
  { href: '/runs', label: 'Runs', match: (p: string) => p.startsWith('/runs') },
];

export function NavLinks() {
  const path = usePathname() ?? '/';
  return (
    <nav aria-label="Main" className="mainnav">
      {sections.map((s) => (
        <Link key={s.href} href={s.href} aria-current={s.match(path) ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
