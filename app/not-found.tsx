import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not found · Testnet explorer' };

// Any URL that is no page of the explorer. Our own, inside the explorer's layout: Next's
// built-in 404 writes an inline <style> without the request's nonce, which the page policy
// (server/http/security-headers.ts) refuses.
export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <div className="state" role="alert" data-testid="page-not-found">
        There is no such page in the explorer. Start from the <Link href="/">overview</Link>, or search for a height, hash or node above.
      </div>
    </>
  );
}
