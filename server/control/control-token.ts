// The control token guards every action that changes the network. It comes from
// CONTROL_TOKEN, or is generated once into DATA_DIR so that restarts keep it.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ControlToken {
  token: string;
  /** Where a user finds it: 'CONTROL_TOKEN' or the file path. */
  source: string;
}

export async function loadControlToken(dataDir: string, fromEnv: string | undefined): Promise<ControlToken> {
  if (fromEnv) return { token: fromEnv, source: 'the CONTROL_TOKEN environment variable' };
  const file = path.join(dataDir, 'control-token');
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 16) return { token, source: file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, token + '\n', { mode: 0o600 });
  return { token, source: file };
}
