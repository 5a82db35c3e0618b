import type { Metadata } from 'next';
import { ChaosView } from '../_ui/chaos/ChaosView.tsx';

export const metadata: Metadata = { title: 'Chaos · Testnet explorer' };

export default function ChaosPage() {
  return <ChaosView />;
}
