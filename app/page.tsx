import { Overview } from './_ui/network/Overview.tsx';

export default function OverviewPage() {
  return <Overview />;
}
