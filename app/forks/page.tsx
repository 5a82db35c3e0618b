import { ForkView } from '../_ui/forks/ForkView.tsx';

export default function ForksPage() {
  return <ForkView />;
}
