// An account address as a link to its page (/accounts/[address]): shortened, the full address
// on hover, or written out in full where there is room. Every sender, recipient and account
// the explorer shows goes through it, so an address is always one click from its page.
import Link from 'next/link';
import { shortHash } from '../../_lib/format.ts';

export function AddressLink({ address, chars = 10, full = false, testId }: { address: string; chars?: number; full?: boolean; testId?: string }) {
  return (
    <Link href={`/accounts/${address}`} className={full ? 'mono break' : 'mono'} title={`account ${address}`} data-testid={testId ?? 'address-link'} data-address={address}>
      {full ? address : shortHash(address, chars)}
    </Link>
  );
}
