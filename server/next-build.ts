// `npm start` serves the production build of the explorer. When none exists (a fresh clone),
// build it once here so the two-command start needs nothing else.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export async function ensureNextBuild(projectRoot: string, logger: Logger, step: (text: string) => void): Promise<void> {
  if (existsSync(path.join(projectRoot, '.next', 'BUILD_ID'))) return;
  step('explorer: no production build yet, building it once (about a minute)…');
  const started = Date.now();
  const nextBin = path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed (exit ${code}):\n${output}`));
    });
  });
  logger.info({ ms: Date.now() - started }, 'explorer built');
  step(`explorer: built in ${Math.round((Date.now() - started) / 1000)} s`);
}
