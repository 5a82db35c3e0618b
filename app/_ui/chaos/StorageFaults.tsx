'use client';
// Storage faults: damage the block log of a stopped local node (cut its tail, flip bits among
// its records or in its header), then restart it and watch it find the damage, cut there and
// fetch the missing blocks from its peers. The server refuses a running node (409).
import { useId, useMemo, useState } from 'react';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { useActionForm } from './ChaosActions.tsx';
import { NodeSelect, NumberField, OutcomeLine } from './Fields.tsx';
import { errorFor, numberOrUndefined } from './chaosModel.ts';
import styles from './chaos.module.css';

type StorageKind = 'storage-truncate' | 'storage-bitflip';

export function StorageFaults({ nodes }: { nodes: NodeStatus[] }) {
  const id = useId();
  const { names, outcome, errors, busy, run } = useActionForm();
  const local = useMemo(() => nodes.filter((n) => n.source === 'local').sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const [node, setNode] = useState('');
  const [kind, setKind] = useState<StorageKind>('storage-truncate');
  const [bytes, setBytes] = useState('');
  const [flips, setFlips] = useState('');
  const [where, setWhere] = useState<'records' | 'header'>('records');
  const [seed, setSeed] = useState('');

  const apply = () => {
    const target = local.find((n) => n.id === node);
    const body: Record<string, unknown> =
      kind === 'storage-truncate' ? { kind, node, bytes: numberOrUndefined(bytes) } : { kind, node, flips: numberOrUndefined(flips), where, seed: numberOrUndefined(seed) };
    const what =
      kind === 'storage-truncate'
        ? `cuts ${bytes || '?'} bytes off the end of its block log`
        : `flips ${flips || '?'} bit(s) in ${where === 'header' ? 'the header' : 'the records'} of its block log`;
    return run(body, {
      title: `Damage ${target?.name ?? 'this node'}'s block log?`,
      confirmLabel: 'Damage the log',
      body: <p>This {what}. On restart the node must find the damage, cut its log there (a damaged header: move the file aside) and fetch the missing blocks from its peers.</p>,
    });
  };

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="storage-faults">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Storage faults
      </h2>
      <p className={styles.panelNote}>
        Damage a stopped node&apos;s block log as a torn write or a bad disk would. Kill the node first (Node actions), damage its log here, then restart it: its /health says what
        it cut. Local testnet only.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <div className={styles.fieldRow}>
          <NodeSelect
            label="Node"
            nodes={local}
            value={node}
            onChange={setNode}
            error={errorFor(errors, 'node') && 'choose a node'}
            note={(n) => (n.status === 'down' ? ' (stopped)' : ' (running: kill it first)')}
            testId="storage-node"
          />
          <div className={styles.field}>
            <label htmlFor={`${id}-kind`}>Fault</label>
            <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as StorageKind)} data-testid="storage-kind">
              <option value="storage-truncate">Truncate the log</option>
              <option value="storage-bitflip">Flip bits</option>
            </select>
          </div>
          {kind === 'storage-truncate' ? (
            <NumberField label="Bytes to cut" value={bytes} onChange={setBytes} error={errorFor(errors, 'bytes')} min={1} step={1} placeholder="5000" testId="storage-bytes" />
          ) : (
            <>
              <NumberField
                label="Bits to flip"
                value={flips}
                onChange={setFlips}
                error={errorFor(errors, 'flips')}
                min={1}
                max={64}
                step={1}
                placeholder="4"
                testId="storage-flips"
              />
              <div className={styles.field}>
                <label htmlFor={`${id}-where`}>Where</label>
                <select id={`${id}-where`} value={where} onChange={(e) => setWhere(e.target.value as 'records' | 'header')} data-testid="storage-where">
                  <option value="records">among the records</option>
                  <option value="header">in the file header</option>
                </select>
              </div>
              <NumberField label="Seed" value={seed} onChange={setSeed} error={errorFor(errors, 'seed')} min={0} step={1} placeholder="random" hint="same seed, same bits" />
            </>
          )}
        </div>
        <button type="submit" className="button" aria-disabled={busy || undefined} data-testid="storage-apply">
          Damage the log…
        </button>
        <OutcomeLine outcome={outcome} names={names} />
      </form>
    </section>
  );
}
