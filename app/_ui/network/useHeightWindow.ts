'use client';
// Which time window the height chart shows (5 min, 1 h, all), remembered in this browser so a
// reload or the next visit opens the one last chosen. Read after mounting: the server render
// and the first client render both show the default, so hydration agrees.
import { useCallback, useEffect, useState } from 'react';
import { HeightWindowSchema, type HeightWindow } from '../../../wire/explorer-api.ts';

const STORAGE_KEY = 'explorer.heightChart.window';
const DEFAULT_WINDOW: HeightWindow = '5m';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function useHeightWindow(): [HeightWindow, (w: HeightWindow) => void] {
  const [win, setWin] = useState<HeightWindow>(DEFAULT_WINDOW);
  useEffect(() => {
    // Storage can be blocked (privacy settings) or hold anything: the default stands then.
    const parsed = HeightWindowSchema.safeParse(readStored());
    if (parsed.success) setWin(parsed.data);
  }, []);
  const choose = useCallback((w: HeightWindow) => {
    setWin(w);
    try {
      window.localStorage.setItem(STORAGE_KEY, w);
    } catch {
      // Not remembered across visits; the choice still holds on this page.
    }
  }, []);
  return [win, choose];
}
