// Checks many Ed25519 signatures at once on worker threads, so catch-up sync verifies a batch
// on every core while the main thread imports the previous one. One message per worker per
// batch: far cheaper on the main thread than one thread-pool job per signature (~25 µs each
// measured, which was a tenth of a block's import). The worker is a few lines of plain
// JavaScript (node:crypto only), so it needs no TypeScript loader.
// A check that could not run (worker gone) reports false: callers only remember successes,
// so such a signature is simply checked again on the main thread.
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface SignatureCheck {
  /** 32-byte message (a block or tx hash), lowercase hex. */
  hash: string;
  signature: string;
  publicKey: string;
}

interface CheckRequest {
  id: number;
  hashes: string[];
  signatures: string[];
  publicKeys: string[];
}

interface CheckResponse {
  id: number;
  ok: Uint8Array;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
// SubjectPublicKeyInfo DER prefix of an Ed25519 key; the raw 32 bytes follow.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(publicKeyHex) {
  let key = keys.get(publicKeyHex);
  if (key === undefined) {
    try {
      key = crypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    if (keys.size >= 4096) keys.clear();
    keys.set(publicKeyHex, key);
  }
  return key;
}
parentPort.on('message', (req) => {
  const ok = new Uint8Array(req.hashes.length);
  for (let i = 0; i < ok.length; i++) {
    const key = keyOf(req.publicKeys[i]);
    try {
      ok[i] = key !== null && crypto.verify(null, Buffer.from(req.hashes[i], 'hex'), key, Buffer.from(req.signatures[i], 'hex')) ? 1 : 0;
    } catch {
      ok[i] = 0;
    }
  }
  parentPort.postMessage({ id: req.id, ok }, [ok.buffer]);
});
`;

const HASH_HEX = /^[0-9a-f]{64}$/;
const SIGNATURE_HEX = /^[0-9a-f]{128}$/;

interface Pending {
  resolve: (ok: Uint8Array | null) => void;
}

export class SignaturePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken = false;

  constructor(private readonly size: number) {}

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (res: CheckResponse) => {
        const p = this.pending.get(res.id);
        this.pending.delete(res.id);
        if (this.pending.size === 0) for (const x of this.workers) x.unref();
        p?.resolve(res.ok);
      });
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      // Idle workers never keep a process alive; while checks are pending they do, or a
      // process with nothing else to do would exit with the answer on its way.
      // (After the listeners: adding one refs the worker again.)
      w.unref();
      this.workers.push(w);
    }
  }

  /** A worker died: answer everything pending with "not checked" and stop using workers. */
  private fail(): void {
    this.broken = true;
    for (const w of this.workers) w.unref();
    for (const p of this.pending.values()) p.resolve(null);
    this.pending.clear();
  }

  private send(worker: Worker, checks: SignatureCheck[]): Promise<Uint8Array | null> {
    const id = this.nextId++;
    const req: CheckRequest = {
      id,
      hashes: checks.map((c) => c.hash),
      signatures: checks.map((c) => c.signature),
      publicKeys: checks.map((c) => c.publicKey),
    };
    return new Promise<Uint8Array | null>((resolve) => {
      if (this.pending.size === 0) for (const x of this.workers) x.ref();
      this.pending.set(id, { resolve });
      try {
        worker.postMessage(req);
      } catch {
        this.pending.delete(id);
        resolve(null);
      }
    });
  }

  /** One answer per check, in order: true only when the signature verified. */
  async verifyAll(checks: SignatureCheck[]): Promise<boolean[]> {
    const result = new Array<boolean>(checks.length).fill(false);
    // Malformed input never reaches a worker (the same answer verifyBytes gives: false).
    const wellFormed: number[] = [];
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      if (HASH_HEX.test(c.hash) && SIGNATURE_HEX.test(c.signature) && HASH_HEX.test(c.publicKey)) wellFormed.push(i);
    }
    if (wellFormed.length === 0 || this.broken) return result;
    if (this.workers.length === 0) {
      try {
        this.start();
      } catch {
        // No worker threads here (resource limits): every check falls back to the main thread.
        this.fail();
        return result;
      }
    }
    const per = Math.ceil(wellFormed.length / this.workers.length);
    const parts: Array<Promise<void>> = [];
    for (let w = 0; w * per < wellFormed.length; w++) {
      const idx = wellFormed.slice(w * per, (w + 1) * per);
      parts.push(
        this.send(
          this.workers[w],
          idx.map((i) => checks[i]),
        ).then((ok) => {
          if (ok) for (let j = 0; j < idx.length; j++) result[idx[j]] = ok[j] === 1;
        }),
      );
    }
    await Promise.all(parts);
    return result;
  }

  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    this.broken = true;
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

let shared: SignaturePool | null = null;

/** The process's pool: one worker per core, up to two (the dev machine has two). */
export function sharedSignaturePool(): SignaturePool {
  shared ??= new SignaturePool(Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)));
  return shared;
}
