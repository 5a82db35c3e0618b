// The AlertManager against an in-memory stand-in for Prisma's `alert` table (the three calls
// it makes), so the raise/clear rules are checked without a database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import { AlertManager, toRecord } from './alert-manager.ts';
import { safetyAlert } from './alert-rules.ts';
import { SafetyChecker } from './safety-checker.ts';

/** A row of the `alert` table, as the manager reads it. */
type Row = Parameters<typeof toRecord>[0];

function fakePrisma(rows: Row[] = []) {
  const alert = {
    create: ({ data }: { data: Omit<Row, 'id' | 'clearedAt'> }) => {
      const row: Row = { ...data, details: JSON.parse(JSON.stringify(data.details)), id: rows.length + 1, clearedAt: null };
      rows.push(row);
      return Promise.resolve(row);
    },
    update: ({ where, data }: { where: { id: number }; data: { clearedAt: Date } }) => {
      const row = rows.find((r) => r.id === where.id)!;
      row.clearedAt = data.clearedAt;
      return Promise.resolve(row);
    },
    findMany: () => Promise.resolve(rows.filter((r) => r.clearedAt === null)),
  };
  return { rows, prisma: { alert } as unknown as PrismaClient };
}

const logger = pino({ level: 'silent' });

function violation() {
  const c = new SafetyChecker();
  c.observeFinalized({ nodeId: 'n1', at: 1_000, height: 7, hash: 'aaaa1111', source: 'health' });
  const [v] = c.observeFinalized({ nodeId: 'n3', at: 2_000, height: 7, hash: 'bbbb2222', source: 'health' });
  return v;
}

describe('AlertManager: safety violations', () => {
  it('a violation creates one critical safety-violation alert carrying both readings as evidence', async () => {
    const { rows, prisma } = fakePrisma();
    const m = new AlertManager({ prisma, logger });
    const raised: string[] = [];
    m.on('raised', (a) => raised.push(a.kind));
    const candidate = safetyAlert(violation(), (id) => `node-${id}`);
    await m.raisePermanent(candidate, 5_000);
    await m.raisePermanent(candidate, 6_000); // the same violation again: no second row
    assert.equal(rows.length, 1);
    assert.deepEqual(raised, ['safety-violation']);
    const [a] = m.activeAlerts();
    assert.equal(a.kind, 'safety-violation');
    assert.equal(a.severity, 'critical');
    assert.equal(a.nodeId, 'n3');
    assert.match(a.message, /two different blocks finalized at height 7: aaaa1111… \(node-n1, health\) and bbbb2222… \(node-n3, health\)/);
    assert.deepEqual(a.details.evidence, {
      first: { nodeId: 'n1', at: 1_000, height: 7, hash: 'aaaa1111', source: 'health' },
      conflicting: { nodeId: 'n3', at: 2_000, height: 7, hash: 'bbbb2222', source: 'health' },
    });
  });

  it('reconcile never clears it (no condition to go away), nor does time, nor a restart', async () => {
    const { rows, prisma } = fakePrisma();
    const m = new AlertManager({ prisma, logger, holdMs: 0 });
    await m.raisePermanent(safetyAlert(violation()), 5_000);
    await m.reconcile([], 6_000);
    await m.reconcile([], 6_000 + 24 * 3600_000);
    assert.equal(rows[0].clearedAt, null);
    assert.equal(m.activeAlerts().length, 1);

    const restarted = new AlertManager({ prisma, logger, holdMs: 0 });
    await restarted.load();
    await restarted.reconcile([], 10 * 24 * 3600_000);
    await restarted.raisePermanent(safetyAlert(violation()), 10 * 24 * 3600_000); // re-proved after restart
    assert.equal(rows.length, 1);
    assert.equal(rows[0].clearedAt, null);
  });

  it('a finality regression alert names the node and carries before and after', () => {
    const c = new SafetyChecker();
    c.observeFinalized({ nodeId: 'n2', at: 1, height: 9, hash: 'h9' });
    const [v] = c.observeFinalized({ nodeId: 'n2', at: 2, height: 4, hash: 'h4' });
    const a = safetyAlert(v, () => 'node-2');
    assert.equal(a.severity, 'critical');
    assert.equal(a.nodeId, 'n2');
    assert.equal(a.message, "Safety violation: node-2's finalized height went down from 9 to 4");
    assert.deepEqual(a.details.evidence, { before: { nodeId: 'n2', at: 1, height: 9, hash: 'h9' }, after: { nodeId: 'n2', at: 2, height: 4, hash: 'h4' } });
  });

  it('condition alerts still clear when their condition goes away', async () => {
    const { rows, prisma } = fakePrisma();
    const m = new AlertManager({ prisma, logger, holdMs: 0 });
    await m.reconcile([{ key: 'halt', kind: 'halt', severity: 'critical', nodeId: null, message: 'halted', details: {} }], 1_000);
    assert.equal(rows.length, 1);
    await m.reconcile([], 2_000);
    assert.notEqual(rows[0].clearedAt, null);
  });
});
