// Child process of sign-wal.test.ts's kill -9 test: a validator that only signs. It walks a
// deterministic sequence of heights (proposals, prevotes, precommits with their locks,
// decisions; the same for a given seed wherever it resumes) through the signing log, and
// reports each step on stdout only after the log returned, so every reported message is one
// that could have left the node. On start it reports what it recovered and re-sends the last
// signed message. Usage: sign-wal-crash-fixture.ts <dir> <seed> <compactBytes>
// Lines: `R <recovered json>`, `S <signed json> <resent>`, `L <lock json>`, `D <height> <hash>`.
import { randomUUID } from 'node:crypto';
import { compareHrs } from '../sign-rules.ts';
import { SignWal, type LockState, type SignableMessage } from '../sign-wal.ts';
import { seededRandom } from '../../../../lib/seeded-random.ts';

type Op = { op: 'sign'; msg: SignableMessage; lock?: LockState; lockSeparately?: boolean } | { op: 'decide'; height: number; hash: string };

/** The steps of one height; a function of (seed, height) only. */
export function heightOps(seed: number, height: number): Op[] {
  const rand = seededRandom(seed * 1_000_003 + height);
  const rounds = 1 + (rand() < 0.3 ? 1 : 0) + (rand() < 0.1 ? 1 : 0);
  const ops: Op[] = [];
  let lockedRound = -1;
  let lockedValue: string | null = null;
  let decided = '';
  for (let round = 0; round < rounds; round++) {
    const block = `B${height}.${round}`;
    if (rand() < 0.5) {
      const validRound = lockedRound >= 0 && rand() < 0.5 ? lockedRound : -1;
      ops.push({ op: 'sign', msg: { kind: 'proposal', height, round, blockHash: validRound >= 0 ? lockedValue : block, validRound } });
    }
    const forBlock = rand() < 0.7;
    ops.push({ op: 'sign', msg: { kind: 'prevote', height, round, blockHash: forBlock ? block : null } });
    if (forBlock && rand() < 0.8) {
      lockedRound = round;
      lockedValue = block;
      const lock: LockState = { height, lockedRound, lockedValue, validRound: round, validValue: block };
      ops.push({ op: 'sign', msg: { kind: 'precommit', height, round, blockHash: block }, lock, lockSeparately: rand() < 0.5 });
    } else {
      ops.push({ op: 'sign', msg: { kind: 'precommit', height, round, blockHash: null } });
    }
    decided = block;
  }
  ops.push({ op: 'decide', height, hash: decided });
  return ops;
}

function main(): void {
  const [dir, seedArg, compactArg] = process.argv.slice(2);
  const seed = Number(seedArg);
  const { wal, recovered } = SignWal.open(dir!, { compactBytes: Number(compactArg) });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const sign = () => `sig-${randomUUID()}`; // random: a second signing would show as a different signature
  say(`R ${JSON.stringify(recovered)}`);
  const last = recovered.lastSigned;
  if (last) {
    const { signature: _signature, ...unsigned } = last;
    const out = wal.beforeSign(unsigned, sign);
    say(`S ${JSON.stringify(out.message)} ${out.resent}`);
  }
  for (let height = Math.max(1, recovered.lastDecidedHeight + 1); ; height++) {
    for (const op of heightOps(seed, height)) {
      if (op.op === 'decide') {
        if (op.height <= wal.state().lastDecidedHeight) continue;
        wal.recordDecision(op.height, op.hash);
        say(`D ${op.height} ${op.hash}`);
        continue;
      }
      const lastSigned = wal.state().lastSigned;
      if (lastSigned && compareHrs(op.msg, lastSigned) <= 0) continue;
      if (op.lock && op.lockSeparately) {
        wal.recordLock(op.lock);
        say(`L ${JSON.stringify(op.lock)}`);
      }
      const out = wal.beforeSign(op.msg, sign, op.lock && !op.lockSeparately ? { lock: op.lock } : {});
      if (op.lock && !op.lockSeparately) say(`L ${JSON.stringify(op.lock)}`);
      say(`S ${JSON.stringify(out.message)} ${out.resent}`);
    }
  }
}

try {
  main();
} catch (err) {
  process.stdout.write(`E ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
