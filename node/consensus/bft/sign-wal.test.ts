import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareHrs, type SignableMessage, type SignedMessage } from './sign-rules.ts';
import { SignWal, WAL_FILE, type LockState, type RecoveredState } from './sign-wal.ts';
import { WalError, type WalErrorCode } from './wal-error.ts';
import { WAL_MAGIC, encodeFrame } from './wal-frames.ts';
import { seededRandom } from '../../../lib/seeded-random.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-wal-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(tmp, `wal-${++dirs}`, 'bft'); // not created: open creates it

/** A signer that counts its calls and never gives the same signature twice. */
function counter() {
  let n = 0;
  const sign = (m: SignableMessage) => `sig-${m.kind}-${m.height}-${m.round}-${++n}`;
  return { sign, calls: () => n };
}

const proposal = (height: number, round: number, blockHash: string, validRound = -1): SignableMessage => ({ kind: 'proposal', height, round, blockHash, validRound });
const prevote = (height: number, round: number, blockHash: string | null): SignableMessage => ({ kind: 'prevote', height, round, blockHash });
const precommit = (height: number, round: number, blockHash: string | null): SignableMessage => ({ kind: 'precommit', height, round, blockHash });
const lockAt = (height: number, round: number, value: string): LockState => ({ height, lockedRound: round, lockedValue: value, validRound: round, validValue: value });

function throwsCode(fn: () => unknown, code: WalErrorCode) {
  assert.throws(fn, (err: unknown) => err instanceof WalError && err.code === code);
}

const fileOf = (dir: string) => path.join(dir, WAL_FILE);
const sizeOf = (dir: string) => fs.statSync(fileOf(dir)).size;

function reopen(dir: string): { wal: SignWal; recovered: RecoveredState } {
  return SignWal.open(dir);
}

describe('signing log: the double-sign rules', () => {
  it('a fresh log signs, stores the message with its signature, and recovers it after reopen', () => {
    const dir = freshDir();
    const { wal, recovered } = SignWal.open(dir);
    assert.deepEqual(recovered, { lastSigned: null, lock: null, lastDecidedHeight: 0, lastDecidedHash: null, truncatedBytes: 0, truncateReason: null });
    const s = counter();
    const out = wal.beforeSign(prevote(1, 0, 'AA'), s.sign);
    assert.deepEqual(out, { message: { ...prevote(1, 0, 'AA'), signature: 'sig-prevote-1-0-1' }, resent: false });
    wal.close();
    assert.deepEqual(reopen(dir).recovered.lastSigned, out.message);
  });

  it('accepts messages in rising (height, round, step) order: proposal < prevote < precommit < next round < next height', () => {
    const { wal } = SignWal.open(freshDir());
    const s = counter();
    const sequence = [
      proposal(1, 0, 'AA'),
      prevote(1, 0, 'AA'),
      precommit(1, 0, null),
      prevote(1, 1, null),
      precommit(1, 3, 'BB'),
      proposal(2, 0, 'CC'),
      precommit(2, 0, 'CC'),
      prevote(7, 0, null),
    ];
    for (const m of sequence) assert.equal(wal.beforeSign(m, s.sign).resent, false);
    assert.equal(s.calls(), sequence.length);
    assert.deepEqual(wal.state().lastSigned, { ...prevote(7, 0, null), signature: 'sig-prevote-7-0-8' });
    wal.close();
  });

  it('the identical message at the last HRS is answered with the stored signature: not signed again, nothing written', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const s = counter();
    const first = wal.beforeSign(precommit(3, 1, 'AA'), s.sign).message;
    const size = sizeOf(dir);
    const again = wal.beforeSign(precommit(3, 1, 'AA'), s.sign);
    assert.deepEqual(again, { message: first, resent: true });
    assert.equal(s.calls(), 1);
    assert.equal(sizeOf(dir), size);
    const nilFirst = wal.beforeSign(prevote(3, 2, null), s.sign).message;
    assert.deepEqual(wal.beforeSign(prevote(3, 2, null), s.sign).message, nilFirst);
    wal.close();
    // and after a restart: the re-send is byte-identical to what went out before the crash
    const { wal: w2 } = reopen(dir);
    assert.deepEqual(w2.beforeSign(prevote(3, 2, null), s.sign), { message: nilFirst, resent: true });
    assert.equal(s.calls(), 2);
    w2.close();
  });

  it('a proposal is identical only with the same block and validRound', () => {
    const { wal } = SignWal.open(freshDir());
    const s = counter();
    const signed = wal.beforeSign(proposal(5, 2, 'AA', 1), s.sign).message;
    assert.deepEqual(wal.beforeSign(proposal(5, 2, 'AA', 1), s.sign), { message: signed, resent: true });
    throwsCode(() => wal.beforeSign(proposal(5, 2, 'AA', -1), s.sign), 'WAL_CONFLICT');
    throwsCode(() => wal.beforeSign(proposal(5, 2, 'BB', 1), s.sign), 'WAL_CONFLICT');
    assert.equal(s.calls(), 1);
    wal.close();
  });

  it('a different message at the same HRS is WAL_CONFLICT: other block, block vs nil, nil vs block', () => {
    const { wal } = SignWal.open(freshDir());
    const s = counter();
    wal.beforeSign(prevote(4, 0, 'AA'), s.sign);
    throwsCode(() => wal.beforeSign(prevote(4, 0, 'BB'), s.sign), 'WAL_CONFLICT');
    throwsCode(() => wal.beforeSign(prevote(4, 0, null), s.sign), 'WAL_CONFLICT');
    wal.beforeSign(precommit(4, 0, null), s.sign);
    throwsCode(() => wal.beforeSign(precommit(4, 0, 'AA'), s.sign), 'WAL_CONFLICT');
    assert.equal(s.calls(), 2);
    wal.close();
  });

  it('a message below the last signed HRS is WAL_REGRESSION (lower step, round or height), also after a restart', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const s = counter();
    wal.beforeSign(precommit(6, 2, 'AA'), s.sign);
    const lower = [prevote(6, 2, 'AA'), proposal(6, 2, 'AA'), precommit(6, 1, 'AA'), prevote(6, 1, null), precommit(5, 9, 'AA')];
    for (const m of lower) throwsCode(() => wal.beforeSign(m, s.sign), 'WAL_REGRESSION');
    wal.close();
    const { wal: w2 } = reopen(dir);
    for (const m of lower) throwsCode(() => w2.beforeSign(m, s.sign), 'WAL_REGRESSION');
    throwsCode(() => w2.beforeSign(precommit(6, 2, 'BB'), s.sign), 'WAL_CONFLICT');
    assert.equal(s.calls(), 1);
    w2.close();
  });

  it('nothing new is signed at a decided height, but the last message there may still be re-sent', () => {
    const { wal } = SignWal.open(freshDir());
    const s = counter();
    const pc = wal.beforeSign(precommit(8, 0, 'AA'), s.sign).message;
    wal.recordDecision(8, 'AA');
    throwsCode(() => wal.beforeSign(precommit(8, 1, 'AA'), s.sign), 'WAL_REGRESSION');
    assert.deepEqual(wal.beforeSign(precommit(8, 0, 'AA'), s.sign), { message: pc, resent: true });
    wal.beforeSign(proposal(9, 0, 'BB'), s.sign);
    assert.equal(s.calls(), 2);
    wal.close();
  });

  it('malformed messages are WAL_MESSAGE_INVALID and write nothing', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const s = counter();
    const size = sizeOf(dir);
    const bad: SignableMessage[] = [
      { kind: 'proposal', height: 1, round: 0, blockHash: null, validRound: -1 },
      proposal(1, 2, 'AA', 2),
      proposal(1, 2, 'AA', -2),
      { kind: 'proposal', height: 1, round: 0, blockHash: 'AA' },
      { kind: 'prevote', height: 1, round: 0, blockHash: 'AA', validRound: 0 },
      prevote(-1, 0, 'AA'),
      prevote(0, 0, 'AA'),
      prevote(1, 0.5, 'AA'),
      { kind: 'vote' as never, height: 1, round: 0, blockHash: null },
    ];
    for (const m of bad) throwsCode(() => wal.beforeSign(m, s.sign), 'WAL_MESSAGE_INVALID');
    throwsCode(() => wal.beforeSign(prevote(1, 0, 'AA'), () => ''), 'WAL_MESSAGE_INVALID');
    assert.equal(s.calls(), 0);
    assert.equal(sizeOf(dir), size);
    assert.equal(wal.state().lastSigned, null);
    wal.close();
  });

  it('a signer that throws leaves the log and the state unchanged', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const size = sizeOf(dir);
    assert.throws(() =>
      wal.beforeSign(prevote(1, 0, 'AA'), () => {
        throw new Error('key unavailable');
      }),
    );
    assert.equal(sizeOf(dir), size);
    assert.equal(wal.beforeSign(prevote(1, 0, 'BB'), counter().sign).resent, false); // not a conflict: nothing was signed
    wal.close();
  });

  it('the signed record is written and fsynced before beforeSign returns; a re-send needs no fsync', () => {
    const dir = freshDir();
    const synced: string[] = [];
    const { wal } = SignWal.open(dir, {
      fsync: (fd) => {
        fs.fsyncSync(fd);
        if (fs.existsSync(fileOf(dir))) synced.push(fs.readFileSync(fileOf(dir)).toString('latin1'));
      },
    });
    synced.length = 0;
    const out = wal.beforeSign(precommit(2, 0, 'AA'), counter().sign, { lock: lockAt(2, 0, 'AA') });
    assert.equal(synced.length, 1, 'one fsync for the lock and the precommit together');
    assert.ok(synced[0]!.includes(out.message.signature), 'the file held the signature when it was fsynced');
    assert.ok(synced[0]!.indexOf('"t":"lock"') < synced[0]!.indexOf(out.message.signature), 'the lock precedes the precommit');
    wal.beforeSign(precommit(2, 0, 'AA'), counter().sign);
    assert.equal(synced.length, 1);
    wal.close();
  });

  it('a decision is written without an fsync of its own (it is on the commit path); the next signature makes it durable, and a reopen reads it', () => {
    const dir = freshDir();
    let fsyncs = 0;
    const { wal } = SignWal.open(dir, {
      fsync: (fd) => {
        fsyncs++;
        fs.fsyncSync(fd);
      },
    });
    const s = counter();
    wal.beforeSign(precommit(3, 0, 'AA'), s.sign);
    const before = fsyncs;
    wal.recordDecision(3, 'AA');
    assert.equal(fsyncs, before, 'no fsync for the decision');
    assert.ok(fs.readFileSync(fileOf(dir)).toString('latin1').includes('"t":"decide"'), 'the decision is in the file');
    wal.beforeSign(prevote(4, 0, 'BB'), s.sign);
    assert.equal(fsyncs, before + 1, 'the next signature fsyncs (the decision with it)');
    wal.close();
    const { wal: again } = reopen(dir);
    assert.equal(again.state().lastDecidedHeight, 3);
    assert.equal(again.state().lastDecidedHash, 'AA');
    again.close();
  });

  it('a failed fsync returns no signature and stops the log (WAL_FAILED) until restart', () => {
    const dir = freshDir();
    let failNext = false;
    const { wal } = SignWal.open(dir, {
      fsync: (fd) => {
        if (failNext) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        fs.fsyncSync(fd);
      },
    });
    const s = counter();
    wal.beforeSign(prevote(1, 0, 'AA'), s.sign);
    failNext = true;
    throwsCode(() => wal.beforeSign(precommit(1, 0, 'AA'), s.sign), 'WAL_FAILED');
    failNext = false;
    throwsCode(() => wal.beforeSign(precommit(1, 0, 'AA'), s.sign), 'WAL_FAILED');
    throwsCode(() => wal.recordDecision(1, 'AA'), 'WAL_FAILED');
    assert.equal(wal.state().lastSigned?.kind, 'prevote');
    wal.close();
    // the record reached the page cache, so the restart sees it: the precommit it never sent
    // is now the last signed, and it goes out as that stored copy, not as a second signature
    const { wal: w2, recovered } = reopen(dir);
    assert.equal(recovered.lastSigned?.kind, 'precommit');
    assert.equal(w2.beforeSign(precommit(1, 0, 'AA'), s.sign).resent, true);
    w2.close();
  });

  it('a closed log refuses with WAL_CLOSED; close is idempotent', () => {
    const { wal } = SignWal.open(freshDir());
    wal.close();
    wal.close();
    throwsCode(() => wal.beforeSign(prevote(1, 0, 'AA'), counter().sign), 'WAL_CLOSED');
  });
});

describe('signing log: the rules against a model (property)', () => {
  type Op = { op: 'sign'; msg: SignableMessage } | { op: 'reopen' } | { op: 'decide'; height: number };
  const msgArb: fc.Arbitrary<SignableMessage> = fc
    .record({
      kind: fc.constantFrom('proposal' as const, 'prevote' as const, 'precommit' as const),
      height: fc.integer({ min: 1, max: 3 }),
      round: fc.integer({ min: 0, max: 2 }),
      hash: fc.constantFrom('AA', 'BB', null),
      vr: fc.boolean(),
    })
    .map(({ kind, height, round, hash, vr }) =>
      kind === 'proposal' ? proposal(height, round, hash ?? 'AA', vr && round > 0 ? round - 1 : -1) : { kind, height, round, blockHash: hash },
    );
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 8, arbitrary: msgArb.map((msg) => ({ op: 'sign' as const, msg })) },
    { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((height) => ({ op: 'decide' as const, height })) },
  );
  const noFsync = () => {}; // the property is about the rules; durability is the other tests' job

  it('across any sequence of signs, decisions and restarts: accepted iff CheckHRS allows it, and one signature per HRS', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const dir = freshDir();
        let { wal } = SignWal.open(dir, { fsync: noFsync });
        const s = counter();
        const byHrs = new Map<string, SignedMessage>();
        let model = null as SignedMessage | null;
        let decided = 0;
        try {
          for (const o of ops) {
            if (o.op === 'reopen') {
              wal.close();
              ({ wal } = SignWal.open(dir, { fsync: noFsync }));
              assert.deepEqual(wal.state().lastSigned, model);
              assert.equal(wal.state().lastDecidedHeight, decided);
            } else if (o.op === 'decide') {
              if (o.height > decided) {
                wal.recordDecision(o.height, `D${o.height}`);
                decided = o.height;
              } else if (o.height < decided) throwsCode(() => wal.recordDecision(o.height, `D${o.height}`), 'WAL_REGRESSION');
            } else {
              const m = o.msg;
              const last: SignedMessage | null = model;
              const same: boolean = last !== null && compareHrs(m, last) === 0 && m.blockHash === last.blockHash && m.validRound === last.validRound;
              const expected: WalErrorCode | 'sign' | 'resend' = same
                ? 'resend'
                : last && compareHrs(m, last) < 0
                  ? 'WAL_REGRESSION'
                  : last && compareHrs(m, last) === 0
                    ? 'WAL_CONFLICT'
                    : m.height <= decided
                      ? 'WAL_REGRESSION'
                      : 'sign';
              if (expected === 'sign' || expected === 'resend') {
                const out = wal.beforeSign(m, s.sign);
                assert.equal(out.resent, expected === 'resend');
                const key = `${m.height}/${m.round}/${m.kind}`;
                const earlier = byHrs.get(key);
                if (earlier) assert.deepEqual(out.message, earlier, 'one signed message per HRS');
                byHrs.set(key, out.message);
                model = out.message;
              } else {
                throwsCode(() => wal.beforeSign(m, s.sign), expected);
              }
            }
          }
          assert.equal(s.calls(), byHrs.size, 'the signer ran once per signed HRS');
        } finally {
          wal.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('signing log: locks and decisions', () => {
  it('a lock passed with the precommit is durable with it, in one append', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const s = counter();
    wal.beforeSign(prevote(2, 1, 'AA'), s.sign);
    const size = sizeOf(dir);
    wal.beforeSign(precommit(2, 1, 'AA'), s.sign, { lock: lockAt(2, 1, 'AA') });
    assert.ok(sizeOf(dir) > size);
    wal.close();
    const { wal: w2, recovered } = reopen(dir);
    assert.deepEqual(recovered.lock, lockAt(2, 1, 'AA'));
    assert.equal(recovered.lastSigned?.kind, 'precommit');
    w2.close();
  });

  it('recordLock alone is durable, repeated is a no-op, and may not go back', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const polka: LockState = { height: 3, lockedRound: -1, lockedValue: null, validRound: 0, validValue: 'AA' };
    wal.recordLock(polka);
    const size = sizeOf(dir);
    wal.recordLock({ ...polka });
    assert.equal(sizeOf(dir), size);
    wal.recordLock(lockAt(3, 2, 'BB'));
    throwsCode(() => wal.recordLock(lockAt(3, 1, 'AA')), 'WAL_REGRESSION');
    throwsCode(() => wal.recordLock(lockAt(2, 5, 'AA')), 'WAL_REGRESSION');
    throwsCode(() => wal.recordLock({ ...polka, lockedRound: 4 }), 'WAL_MESSAGE_INVALID'); // locked on nothing
    wal.close();
    assert.deepEqual(reopen(dir).recovered.lock, lockAt(3, 2, 'BB'));
  });

  it('a decision drops the lock of its height; repeating it is a no-op; another hash or a lower height is refused', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    wal.recordLock(lockAt(4, 0, 'AA'));
    wal.recordDecision(4, 'AA');
    assert.equal(wal.state().lock, null);
    wal.recordDecision(4, 'AA');
    throwsCode(() => wal.recordDecision(4, 'BB'), 'WAL_CONFLICT');
    throwsCode(() => wal.recordDecision(3, 'CC'), 'WAL_REGRESSION');
    throwsCode(() => wal.recordLock(lockAt(4, 1, 'AA')), 'WAL_REGRESSION');
    wal.recordLock(lockAt(5, 0, 'DD'));
    wal.close();
    const { recovered } = reopen(dir);
    assert.equal(recovered.lastDecidedHeight, 4);
    assert.equal(recovered.lastDecidedHash, 'AA');
    assert.deepEqual(recovered.lock, lockAt(5, 0, 'DD'));
  });
});

describe('signing log: torn writes and corruption', () => {
  /** A log with a few records; returns the file size before and after its last append. */
  function logWithTail(dir: string, last: (wal: SignWal) => void) {
    const { wal } = SignWal.open(dir);
    const s = counter();
    wal.beforeSign(proposal(1, 0, 'AA'), s.sign);
    wal.beforeSign(prevote(1, 0, 'AA'), s.sign);
    wal.recordLock({ height: 1, lockedRound: -1, lockedValue: null, validRound: 0, validValue: 'AA' });
    const before = sizeOf(dir);
    const state = wal.state();
    last(wal);
    wal.close();
    return { before, after: sizeOf(dir), state, bytes: fs.readFileSync(fileOf(dir)) };
  }

  it('a last record cut at every byte offset is dropped on open: the previous state, never an error', () => {
    const dir = freshDir();
    const t = logWithTail(dir, (wal) => wal.beforeSign(precommit(1, 0, 'BB'), counter().sign));
    for (let cut = t.before; cut < t.after; cut++) {
      fs.writeFileSync(fileOf(dir), t.bytes.subarray(0, cut));
      const { wal, recovered } = reopen(dir);
      assert.deepEqual({ ...recovered, truncatedBytes: 0, truncateReason: null }, t.state, `cut at ${cut}`);
      assert.equal(recovered.truncatedBytes, cut - t.before);
      assert.equal(sizeOf(dir), t.before, 'the torn bytes are cut off the file');
      wal.beforeSign(precommit(1, 0, 'CC'), counter().sign); // the cut precommit never left: free to sign again
      wal.close();
      assert.equal(reopen(dir).recovered.lastSigned?.blockHash, 'CC');
    }
  });

  it('a torn [lock, precommit] append never leaves the precommit without its lock', () => {
    const dir = freshDir();
    const t = logWithTail(dir, (wal) => wal.beforeSign(precommit(1, 0, 'AA'), counter().sign, { lock: lockAt(1, 0, 'AA') }));
    let withLockOnly = 0;
    for (let cut = t.before; cut <= t.after; cut++) {
      fs.writeFileSync(fileOf(dir), t.bytes.subarray(0, cut));
      const { wal, recovered } = reopen(dir);
      wal.close();
      if (recovered.lastSigned?.kind === 'precommit') assert.deepEqual(recovered.lock, lockAt(1, 0, 'AA'), `cut at ${cut}`);
      else if (recovered.lock?.lockedRound === 0) withLockOnly++;
      else assert.deepEqual(recovered.lock, t.state.lock, `cut at ${cut}`);
    }
    assert.ok(withLockOnly > 0, 'some cuts keep the lock without the precommit');
  });

  it('garbage in the last record, or a zero-filled tail, is a torn write and is cut', () => {
    const dir = freshDir();
    const t = logWithTail(dir, (wal) => wal.beforeSign(precommit(1, 0, 'BB'), counter().sign));
    const garbled = Buffer.from(t.bytes);
    garbled[t.after - 3] ^= 0x55;
    fs.writeFileSync(fileOf(dir), garbled);
    assert.equal(reopen(dir).recovered.lastSigned?.kind, 'prevote');
    fs.writeFileSync(fileOf(dir), Buffer.concat([t.bytes.subarray(0, t.before), Buffer.alloc(300)]));
    const { wal, recovered } = reopen(dir);
    wal.close();
    assert.equal(recovered.lastSigned?.kind, 'prevote');
    assert.equal(recovered.truncatedBytes, 300);
  });

  it('damage before the last record is WAL_CORRUPT: a flipped payload byte, a flipped length, a bad magic', () => {
    const dir = freshDir();
    const t = logWithTail(dir, (wal) => wal.beforeSign(precommit(1, 0, 'BB'), counter().sign));
    const firstFrame = WAL_MAGIC.length;
    const cases: Array<[string, (b: Buffer) => void]> = [
      ['payload byte', (b) => (b[firstFrame + 20] ^= 0x01)],
      ['length byte', (b) => (b[firstFrame + 3] ^= 0x04)],
      ['length made huge', (b) => (b[firstFrame] = 0x7f)],
      ['checksum byte', (b) => (b[firstFrame + 9] ^= 0x80)],
      ['a middle record cut short', (b) => b.fill(0x20, t.before - 30, t.before)],
      ['magic', (b) => (b[0] = 0x58)],
    ];
    for (const [what, damage] of cases) {
      const b = Buffer.from(t.bytes);
      damage(b);
      fs.writeFileSync(fileOf(dir), b);
      throwsCode(() => reopen(dir), 'WAL_CORRUPT');
      assert.deepEqual(fs.readFileSync(fileOf(dir)), b, `${what}: a corrupt log is left as found`);
    }
  });

  it('intact records a correct writer never makes are WAL_CORRUPT (signed messages out of order, unreadable JSON)', () => {
    const dir = freshDir();
    fs.mkdirSync(dir, { recursive: true });
    const rec = (r: unknown) => encodeFrame(Buffer.from(JSON.stringify(r)));
    const signed = (m: SignableMessage): SignedMessage => ({ ...m, signature: 'x' });
    fs.writeFileSync(fileOf(dir), Buffer.concat([WAL_MAGIC, rec({ t: 'sign', m: signed(precommit(2, 0, 'AA')) }), rec({ t: 'sign', m: signed(prevote(2, 0, 'AA')) })]));
    throwsCode(() => reopen(dir), 'WAL_CORRUPT');
    fs.writeFileSync(fileOf(dir), Buffer.concat([WAL_MAGIC, encodeFrame(Buffer.from('{not json'))]));
    throwsCode(() => reopen(dir), 'WAL_CORRUPT');
    fs.writeFileSync(fileOf(dir), Buffer.concat([WAL_MAGIC, rec({ t: 'decide', height: 3, hash: 'A' }), rec({ t: 'decide', height: 2, hash: 'B' })]));
    throwsCode(() => reopen(dir), 'WAL_CORRUPT');
  });
});

describe('signing log: compaction', () => {
  it('decisions compact the file; the last signed message, the live lock and the decision survive', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir, { compactBytes: 2048 });
    const s = counter();
    let largest = 0;
    for (let h = 1; h <= 200; h++) {
      wal.beforeSign(proposal(h, 0, `B${h}`), s.sign);
      wal.beforeSign(prevote(h, 0, `B${h}`), s.sign);
      wal.beforeSign(precommit(h, 0, `B${h}`), s.sign, { lock: lockAt(h, 0, `B${h}`) });
      wal.recordDecision(h, `B${h}`);
      largest = Math.max(largest, sizeOf(dir));
    }
    assert.ok(largest < 2048 + 1024, `the file stays small (largest ${largest} bytes)`);
    wal.beforeSign(prevote(201, 0, null), s.sign);
    wal.recordLock({ height: 201, lockedRound: -1, lockedValue: null, validRound: 0, validValue: 'X' });
    const lastSigned = wal.beforeSign(precommit(201, 0, null), s.sign).message;
    wal.compact();
    assert.ok(sizeOf(dir) < 600, `compacted to the records that matter (${sizeOf(dir)} bytes)`);
    wal.close();
    const { wal: w2, recovered } = reopen(dir);
    assert.deepEqual(recovered, {
      lastSigned,
      lock: { height: 201, lockedRound: -1, lockedValue: null, validRound: 0, validValue: 'X' },
      lastDecidedHeight: 200,
      lastDecidedHash: 'B200',
      truncatedBytes: 0,
      truncateReason: null,
    });
    throwsCode(() => w2.beforeSign(precommit(201, 0, 'X'), s.sign), 'WAL_CONFLICT');
    throwsCode(() => w2.beforeSign(prevote(201, 0, 'X'), s.sign), 'WAL_REGRESSION');
    throwsCode(() => w2.beforeSign(prevote(200, 5, 'X'), s.sign), 'WAL_REGRESSION');
    w2.close();
  });

  it('a crash during compaction (a stale temp file beside the log) loses nothing', () => {
    const dir = freshDir();
    const { wal } = SignWal.open(dir);
    const signed = wal.beforeSign(prevote(1, 0, 'AA'), counter().sign).message;
    wal.close();
    fs.writeFileSync(`${fileOf(dir)}.tmp`, WAL_MAGIC.subarray(0, 4));
    const { wal: w2, recovered } = reopen(dir);
    w2.close();
    assert.deepEqual(recovered.lastSigned, signed);
    assert.equal(fs.existsSync(`${fileOf(dir)}.tmp`), false);
  });
});

describe('signing log: kill -9', () => {
  const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testkit/sign-wal-crash-fixture.ts');
  const hrsKey = (m: SignableMessage) => `${m.height}/${m.round}/${m.kind}`;

  /** Runs the fixture until it has reported `killAfter` steps, kill -9s it, returns every line it wrote. */
  function runUntilKilled(dir: string, seed: number, killAfter: number): Promise<string[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, String(seed), '1024'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the fixture did not report ${killAfter} steps within 10 s; stderr: ${stderr}`));
      }, 10_000);
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        const parts = (partial + d.toString()).split('\n');
        partial = parts.pop()!;
        lines.push(...parts);
        if (!killed && lines.length - 1 >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      // 'close', not 'exit': lines written before the kill landed are still in the pipe
      child.on('close', (code, signal) => {
        clearTimeout(deadline);
        if (signal === 'SIGKILL' && killed) resolve(lines);
        else reject(new Error(`the fixture exited (${code ?? signal}) before the kill: ${lines.find((l) => l.startsWith('E ')) ?? stderr}`));
      });
    });
  }

  it('after kill -9 at random moments, everything reported sent is covered and nothing can be signed twice', async (t) => {
    const dir = freshDir();
    const seed = 1130;
    const rand = seededRandom(seed);
    const sent = new Map<string, string>(); // HRS -> the one signature ever sent for it
    let highestSent: SignedMessage | null = null;
    let highestDecided = 0;
    let lastLock: LockState | null = null;
    let previous: RecoveredState | null = null;
    const iterations = 6;
    for (let i = 0; i < iterations; i++) {
      const killAfter = i === 0 ? 0 : Math.floor(rand() * 150); // 0: killed right after it opened the log
      const lines = await runUntilKilled(dir, seed, killAfter);
      assert.ok(lines[0]?.startsWith('R '), `first line is the recovery report: ${lines[0]}`);
      const childRecovered = JSON.parse(lines[0].slice(2)) as RecoveredState;
      if (previous) {
        assert.deepEqual(childRecovered.lastSigned, previous.lastSigned, 'the child recovers what the parent recovered');
        assert.equal(childRecovered.lastDecidedHeight, previous.lastDecidedHeight);
      }
      for (const [n, line] of lines.slice(1).entries()) {
        const [tag, a, b] = line.split(' ');
        if (tag === 'S') {
          const m = JSON.parse(a!) as SignedMessage;
          const known = sent.get(hrsKey(m));
          if (known !== undefined) assert.equal(m.signature, known, `${hrsKey(m)} went out with two signatures`);
          if (n === 0 && previous?.lastSigned) assert.equal(b, 'true', 'the restarted node re-sends its last message, not a new signature');
          sent.set(hrsKey(m), m.signature);
          if (!highestSent || compareHrs(m, highestSent) > 0) highestSent = m;
        } else if (tag === 'D') highestDecided = Math.max(highestDecided, Number(a));
        else if (tag === 'L') lastLock = JSON.parse(a!) as LockState;
        else assert.fail(`unexpected fixture line: ${line}`);
      }

      const { wal, recovered } = SignWal.open(dir);
      try {
        if (highestSent) {
          const last = recovered.lastSigned;
          assert.ok(last && compareHrs(last, highestSent) >= 0, `recovered ${JSON.stringify(last)} covers the sent ${JSON.stringify(highestSent)}`);
          const sentSig = sent.get(hrsKey(last));
          t.diagnostic(
            `run ${i}: killed after ${lines.length - 1} reports; the log holds ${sentSig === undefined ? 'a message signed but never reported' : 'the last reported message'}`,
          );
          if (sentSig !== undefined) assert.equal(last.signature, sentSig);
          // no double-sign at the last HRS: a conflicting message is refused, the identical one is re-sent as stored
          const conflicting: SignableMessage =
            last.kind === 'proposal'
              ? { ...last, blockHash: `${last.blockHash}-other` }
              : { kind: last.kind, height: last.height, round: last.round, blockHash: last.blockHash === null ? 'OTHER' : null };
          throwsCode(() => wal.beforeSign(conflicting, counter().sign), 'WAL_CONFLICT');
          const { signature: _signature, ...unsigned } = last;
          assert.deepEqual(wal.beforeSign(unsigned, counter().sign), { message: last, resent: true });
          if (last.height > 1) throwsCode(() => wal.beforeSign(precommit(last.height - 1, 0, 'OLD'), counter().sign), 'WAL_REGRESSION');
        }
        assert.ok(recovered.lastDecidedHeight >= highestDecided, `decided ${recovered.lastDecidedHeight} covers reported ${highestDecided}`);
        if (lastLock && lastLock.height > recovered.lastDecidedHeight) {
          const lock = recovered.lock;
          assert.ok(
            lock && (lock.height > lastLock.height || (lock.height === lastLock.height && lock.lockedRound >= lastLock.lockedRound)),
            `the reported lock ${JSON.stringify(lastLock)} survived`,
          );
        }
      } finally {
        wal.close();
      }
      previous = recovered;
    }
    assert.ok(sent.size > 20, `enough steps were signed across the runs (${sent.size})`);
  });
});

describe('signing log: latency', () => {
  it('diagnostic: beforeSign latency with fsync, p50/p99 over 300 appends', (t) => {
    const { wal } = SignWal.open(freshDir());
    const s = counter();
    const ms: number[] = [];
    for (let i = 0; i < 300; i++) {
      const m = (['proposal', 'prevote', 'precommit'] as const)[i % 3]!;
      const msg: SignableMessage = m === 'proposal' ? proposal(1 + Math.floor(i / 3), 0, 'AA') : { kind: m, height: 1 + Math.floor(i / 3), round: 0, blockHash: 'AA' };
      const start = process.hrtime.bigint();
      wal.beforeSign(msg, s.sign);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    wal.close();
    ms.sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(3);
    t.diagnostic(`beforeSign (check + append + fsync): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms over ${ms.length}`);
    assert.equal(s.calls(), 300);
  });
});
