import { ConsensusView } from '../_ui/consensus/ConsensusView.tsx';

export default function ConsensusPage() {
  return <ConsensusView />;
}
