// The admin bearer token: given explicitly, or generated once into <dataDir>/admin-token
// (mode 0600) and reused on every start, so the operator can always find it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function adminTokenFile(dataDir: string): string {
  return path.join(dataDir, 'admin-token');
}

export function loadOrCreateAdminToken(dataDir: string): string {
  const file = adminTokenFile(dataDir);
  if (fs.existsSync(file)) {
    const t = fs.readFileSync(file, 'utf8').trim();
    if (t.length >= 8) return t;
  }
  const token = crypto.randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}
