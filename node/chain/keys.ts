// Ed25519 keys: derivation, signing and verification, key files. All of it runs through
// node:crypto (OpenSSL): the same RFC 8032 keys and signatures as @noble/curves (tests pin
// that), ~10x faster on the hot path where every block, tx and P2P envelope is checked, and
// no curve library (nor its precomputed tables, a few MB a process) in a node's memory.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ChainError } from './errors.ts';
import { sha256Hex } from './encoding.ts';

export interface KeyPair {
  secretKey: string; // 32-byte seed, hex
  publicKey: string; // 32 bytes, hex
}

/** PKCS#8 DER of an Ed25519 private key, up to the 32-byte seed that follows it (RFC 8410). */
const PKCS8_ED25519_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function keyPairFromSeed(secretKeyHex: string): KeyPair {
  if (!/^[0-9a-f]{64}$/.test(secretKeyHex)) throw new ChainError('KEY_INVALID', 'secret key must be 32-byte hex');
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_SEED_PREFIX, Buffer.from(secretKeyHex, 'hex')]), format: 'der', type: 'pkcs8' });
  const x = crypto.createPublicKey(key).export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new ChainError('KEY_INVALID', 'OpenSSL gave no Ed25519 public key for the seed');
  return { secretKey: secretKeyHex, publicKey: Buffer.from(x, 'base64url').toString('hex') };
}

export function generateKeyPair(): KeyPair {
  return keyPairFromSeed(crypto.randomBytes(32).toString('hex'));
}

/** Deterministic key for local testnets: the same label always yields the same key. */
export function deterministicKeyPair(label: string): KeyPair {
  return keyPairFromSeed(sha256Hex(new TextEncoder().encode(label)));
}

/** Node id: the first 16 hex chars of the public key. */
export function nodeIdOf(publicKey: string): string {
  return publicKey.slice(0, 16);
}

const b64u = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const privCache = new Map<string, crypto.KeyObject>();
const pubCache = new Map<string, crypto.KeyObject>();
const PUB_CACHE_MAX = 4096;

function privateKeyObject(kp: KeyPair): crypto.KeyObject {
  let k = privCache.get(kp.secretKey);
  if (!k) {
    k = crypto.createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(kp.publicKey), d: b64u(kp.secretKey) }, format: 'jwk' });
    privCache.set(kp.secretKey, k);
  }
  return k;
}

function publicKeyObject(publicKeyHex: string): crypto.KeyObject | null {
  let k = pubCache.get(publicKeyHex);
  if (k) return k;
  try {
    k = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKeyHex) }, format: 'jwk' });
  } catch {
    return null; // not a valid curve point: no signature can verify against it
  }
  if (pubCache.size >= PUB_CACHE_MAX) pubCache.clear();
  pubCache.set(publicKeyHex, k);
  return k;
}

/** Signs a message (usually a 32-byte hash); returns the 64-byte signature as hex. */
export function signBytes(message: Uint8Array, kp: KeyPair): string {
  return crypto.sign(null, message, privateKeyObject(kp)).toString('hex');
}

const SIGNATURE_HEX = /^[0-9a-f]{128}$/;
const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/;

export function verifyBytes(message: Uint8Array, signatureHex: string, publicKeyHex: string): boolean {
  if (!SIGNATURE_HEX.test(signatureHex) || !PUBLIC_KEY_HEX.test(publicKeyHex)) return false;
  const key = publicKeyObject(publicKeyHex);
  if (!key) return false;
  try {
    return crypto.verify(null, message, key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

const KeyFileSchema = z.object({ secretKey: z.string().regex(/^[0-9a-f]{64}$/), publicKey: z.string().optional() });

/** Loads a key file, or creates one (mode 0600) when it does not exist. */
export function loadOrCreateKeyFile(file: string): KeyPair {
  if (fs.existsSync(file)) {
    const parsed = KeyFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new ChainError('KEY_INVALID', `key file ${file} is not {"secretKey": "<64 hex>"}`);
    const kp = keyPairFromSeed(parsed.data.secretKey);
    if (parsed.data.publicKey && parsed.data.publicKey !== kp.publicKey) {
      throw new ChainError('KEY_INVALID', `key file ${file}: publicKey does not match secretKey`);
    }
    return kp;
  }
  const kp = generateKeyPair();
  writeKeyFile(file, kp);
  return kp;
}

export function writeKeyFile(file: string, kp: KeyPair): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, keyFileContent(kp), { mode: 0o600 });
}

/** A key file's text; also what deploy/k8s puts into a Kubernetes Secret. */
export function keyFileContent(kp: KeyPair): string {
  return JSON.stringify(kp, null, 2) + '\n';
}
