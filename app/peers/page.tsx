import { PeersView } from '../_ui/peers/PeersView.tsx';

export default function PeersPage() {
  return <PeersView />;
}
