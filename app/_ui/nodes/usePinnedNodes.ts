'use client';
// The node ids pinned in this browser, kept in localStorage so a reload (or another tab)
// keeps them. Read through useSyncExternalStore: the server render and the first client
// render see no pins, then the stored ones, with no mismatch warning.
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { parsePins, togglePin } from './pins.ts';

const STORAGE_KEY = 'explorer.pinnedNodes';
/** Same-tab writes: the 'storage' event fires only in other tabs. */
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('storage', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onChange);
  };
}

function readRaw(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, policy): pins last for the page only
  }
}

export function usePinnedNodes(): { pinned: string[]; toggle: (id: string) => void } {
  const raw = useSyncExternalStore(subscribe, readRaw, () => null);
  const pinned = useMemo(() => parsePins(raw), [raw]);
  const toggle = useCallback((id: string) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(togglePin(parsePins(readRaw()), id)));
    } catch {
      return; // nowhere to keep it: the pin button stays as it was, which is what is true
    }
    for (const l of listeners) l();
  }, []);
  return { pinned, toggle };
}
