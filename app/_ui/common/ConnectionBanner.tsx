'use client';
// Says in words when the live connection to the explorer server is lost, so stale numbers are
// never mistaken for live ones. Quiet for the first seconds (page load, a short blip).
import { useEffect, useState } from 'react';
import { useLiveConnected } from '../../_lib/live.ts';
import { clockTime } from '../../_lib/format.ts';

const GRACE_MS = 4_000;

export function ConnectionBanner() {
  const connected = useLiveConnected();
  const [downSince, setDownSince] = useState<number | null>(null);
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (connected) {
      setDownSince(null);
      setShow(false);
      return;
    }
    const since = Date.now();
    setDownSince(since);
    const t = setTimeout(() => setShow(true), GRACE_MS);
    return () => clearTimeout(t);
  }, [connected]);
  if (!show || downSince === null) return null;
  return (
    <div className="conn-banner" role="alert" data-testid="connection-banner">
      Live updates stopped at {clockTime(downSince)}: the explorer server is not answering (restarting, or `npm start` was stopped). What you see may be out of date; this page
      reconnects and refreshes by itself when the server is back.
    </div>
  );
}
