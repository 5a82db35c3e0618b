import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '../../_ui/common/QueryState.tsx';
import { CompareView } from '../../_ui/runs/CompareView.tsx';

export const metadata: Metadata = { title: 'Compare runs · Testnet explorer' };

export default function ComparePage() {
  // CompareView reads ?a=&b= from the URL.
  return (
    <Suspense fallback={<Loading what="the comparison" />}>
      <CompareView />
    </Suspense>
  );
}
