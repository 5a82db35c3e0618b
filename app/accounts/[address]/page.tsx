import { AccountView } from '../../_ui/accounts/AccountView.tsx';

export default async function AccountPage({ params, searchParams }: { params: Promise<{ address: string }>; searchParams: Promise<{ cursor?: string | string[] }> }) {
  const { address } = await params;
  const { cursor } = await searchParams;
  return <AccountView address={decodeURIComponent(address)} cursor={typeof cursor === 'string' && cursor ? cursor : undefined} />;
}
