// `npm run build`: the explorer's production build (`next build`), stamped with its sources'
// hash (server/next-build.ts) so that `npm start` and `npm test` serve it instead of building
// once more. A plain `next build` leaves no stamp.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildExplorer } from '../server/next-build.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  await buildExplorer(root, pino({ level: 'silent' }), (line) => console.log(line));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
