// Runs in the browser before any module of the explorer (Next's instrumentation-client hook).
// zod compiles object parsers with `new Function` where it may; to find out, it tries
// `Function('')` once, when the first object schema is built. The page policy has no
// 'unsafe-eval' (server/http/security-headers.ts), so that probe is refused and reported as a
// CSP violation, although zod catches it. Telling zod it is jitless skips the probe, so it must
// happen before wire/ builds its schemas: here. The browser then parses with zod's interpreter;
// the server and the nodes keep the compiled parsers.
import { z } from 'zod';

z.config({ jitless: true });
