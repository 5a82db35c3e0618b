import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from './providers.tsx';
import { LiveIndicator } from './_ui/common/LiveIndicator.tsx';
import { NavLinks } from './_ui/common/NavLinks.tsx';
import { ConnectionBanner } from './_ui/common/ConnectionBanner.tsx';
import { SearchBox } from './_ui/search/SearchBox.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Testnet explorer',
  description: 'Live view of a blockchain testnet: nodes, blocks, forks and faults.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, never prerendered: the server's Content-Security-Policy carries a
  // fresh script nonce (server/http/security-headers.ts) that Next puts on every script it
  // emits, and a page built ahead of time would carry none.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>
          <header className="topbar">
            <Link href="/" className="brand">
              Testnet explorer
            </Link>
            <NavLinks />
            <SearchBox />
            <LiveIndicator />
          </header>
          <ConnectionBanner />
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
