import { BlockList } from '../_ui/blocks/BlockList.tsx';

export default async function BlocksPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { before } = await searchParams;
  const n = before !== undefined && /^\d+$/.test(before) ? Number(before) : undefined;
  return <BlockList before={n} />;
}
