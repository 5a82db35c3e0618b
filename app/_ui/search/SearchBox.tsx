'use client';
// The header's search: a block height or hash, a transaction hash, a node name, or an
// address or its prefix (6+ hex digits). Enter submits; a hit navigates to its page, a miss is
// said inline next to the box; a prefix several accounts share lists them to pick from.
import { useState, type FormEvent } from 'react';
import Link from 'next/link';
import type { SearchResponse } from '../../../wire/explorer-api.ts';
import { useRouter } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { api, queryKeys } from '../../_lib/api.ts';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'miss'; query: string }
  | { kind: 'several'; query: string; matches: NonNullable<SearchResponse['matches']> }
  | { kind: 'error'; message: string };

export function SearchBox() {
  const router = useRouter();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const query = q.trim();
    if (!query) return;
    setOutcome({ kind: 'searching' });
    try {
      // staleTime 0: a height that did not exist a second ago may exist now.
      const res = await client.fetchQuery({ queryKey: queryKeys.search(query), queryFn: () => api.search(query), staleTime: 0 });
      if (res.matches && res.matches.length > 1) setOutcome({ kind: 'several', query, matches: res.matches });
      else if (res.result) {
        setOutcome({ kind: 'idle' });
        setQ('');
        router.push(res.result.path);
      } else setOutcome({ kind: 'miss', query });
    } catch (err) {
      setOutcome({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <form role="search" className="search" onSubmit={(e) => void submit(e)}>
      <label htmlFor="site-search" className="visually-hidden">
        Search by block height, block or transaction hash, address (or its first 6+ hex digits), or node name
      </label>
      <input
        id="site-search"
        type="search"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          if (outcome.kind !== 'idle' && outcome.kind !== 'searching') setOutcome({ kind: 'idle' });
        }}
        placeholder="Height, hash or address"
        autoComplete="off"
        spellCheck={false}
        data-testid="search-input"
      />
      <button type="submit" className="button" disabled={outcome.kind === 'searching'}>
        Search
      </button>
      {outcome.kind === 'miss' && (
        <span className="search-note" role="status" data-testid="search-not-found">
          Nothing found for “{outcome.query}”
        </span>
      )}
      {outcome.kind === 'several' && (
        <span className="search-note" role="status" data-testid="search-matches">
          Accounts starting with “{outcome.query}”:{' '}
          {outcome.matches.map((m, i) => (
            <span key={m.id}>
              {i > 0 && ', '}
              <Link href={m.path} className="mono" onClick={() => setOutcome({ kind: 'idle' })}>
                {m.label}
              </Link>
            </span>
          ))}
          {outcome.matches.length >= 5 && ' … type more digits to narrow it down'}
        </span>
      )}
      {outcome.kind === 'error' && (
        <span className="search-note search-error" role="alert">
          Search failed: {outcome.message}
        </span>
      )}
    </form>
  );
}
