import { Suspense } from 'react';
import { Loading } from '../_ui/common/QueryState.tsx';
import { ForkView } from '../_ui/forks/ForkView.tsx';

export default function ForksPage() {
  // ForkView reads ?from=&to=&at= from the URL, which only the browser knows on a static page.
  return (
    <Suspense fallback={<Loading what="the fork view" />}>
      <ForkView />
    </Suspense>
  );
}
