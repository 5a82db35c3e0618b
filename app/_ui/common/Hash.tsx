'use client';
// A shortened hash that shows the full value on hover and copies it on click.
import { useState } from 'react';
import { shortHash } from '../../_lib/format.ts';

export function Hash({ value, chars = 10, full = false }: { value: string | null; chars?: number; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  if (!value) return <span className="muted">—</span>;
  return (
    <button
      type="button"
      className={full ? 'hash hash-full' : 'hash'}
      title={`${value} (click to copy)`}
      onClick={(e) => {
        e.preventDefault();
        e.stopPropagation();
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1_200);
        });
      }}
    >
      {copied ? 'copied' : full ? value : shortHash(value, chars)}
    </button>
  );
}
