import { TxView } from '../../_ui/txs/TxView.tsx';

export default async function TxPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  return <TxView hash={decodeURIComponent(hash)} />;
}
