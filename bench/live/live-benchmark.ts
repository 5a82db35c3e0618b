// `npm run bench -- live`: the registry entry for the live latency benchmark (live-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runLiveBench } from './live-bench.ts';
import type { HeadEventName } from './live-clients.ts';
import { LiveRooms, type LiveRoom } from '../../wire/live-events.ts';

const EVENTS: HeadEventName[] = ['heads:new', 'nodes:update'];

export const liveBenchmark: Benchmark = {
  name: 'live',
  description: 'head accepted on a node → Socket.IO event in 100 browsers, through the real control plane: p50/p95/p99, lost and duplicated heads',
  options: [
    '--live-nodes N (8)',
    '--live-block-ms N (200)',
    '--live-clients N (100)',
    '--live-seconds N (25)',
    '--live-event heads:new|nodes:update (heads:new)',
    '--live-rooms R,R (none; e.g. network,blocks,events as the overview page)',
    '--live-cpu-prof DIR',
  ],
  run: ({ args, say }) => {
    const event = (typeof args['live-event'] === 'string' ? args['live-event'] : 'heads:new') as HeadEventName;
    if (!EVENTS.includes(event)) throw new Error(`--live-event must be one of ${EVENTS.join(', ')}, not "${event}"`);
    const extraRooms = (
      typeof args['live-rooms'] === 'string'
        ? args['live-rooms']
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean)
        : []
    ) as LiveRoom[];
    const unknownRoom = extraRooms.find((r) => !(LiveRooms as readonly string[]).includes(r));
    if (unknownRoom) throw new Error(`--live-rooms takes rooms among ${LiveRooms.join(', ')}, not "${unknownRoom}"`);
    return runLiveBench(
      {
        nodes: intArg(args, 'live-nodes', 8, 1),
        blockTimeMs: intArg(args, 'live-block-ms', 200, 200),
        clients: intArg(args, 'live-clients', 100, 1),
        seconds: intArg(args, 'live-seconds', 25, 1),
        event,
        extraRooms,
        cpuProfDir: typeof args['live-cpu-prof'] === 'string' ? args['live-cpu-prof'] : null,
      },
      say,
    );
  },
};
