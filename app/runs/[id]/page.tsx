import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RunView } from '../../_ui/runs/RunView.tsx';

export const metadata: Metadata = { title: 'Run · Testnet explorer' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Run ids are whole numbers from 1; anything else cannot name a run.
  if (!/^[1-9]\d{0,9}$/.test(id)) notFound();
  return <RunView id={Number(id)} />;
}
