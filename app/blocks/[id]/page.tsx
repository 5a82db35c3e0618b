import { BlockView } from '../../_ui/blocks/BlockView.tsx';

export default async function BlockPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BlockView id={decodeURIComponent(id)} />;
}
