import type { Metadata } from 'next';
import { RunsView } from '../_ui/runs/RunsView.tsx';

export const metadata: Metadata = { title: 'Runs · Testnet explorer' };

export default function RunsPage() {
  return <RunsView />;
}
