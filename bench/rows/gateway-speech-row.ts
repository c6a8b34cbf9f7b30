import type { Row } from '../support/context.js';
import { type GatewayFiles, UPSTREAM_INSTANCE, writeGatewayFiles } from '../support/gateway-files.js';
import { assertClean, LOAD, type LoadSummary, measureLoad, summarize } from '../support/load.js';
import { jsonHeaders, type OvertureServer, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';

/**
 * One sentence, streamed, with every field the gateway forwards set explicitly: the upstream then
 * receives the same request from the client (direct) and from the gateway (which always asks its
 * upstream to stream), so the only difference between the sides is the gateway itself.
 */
const BODY = JSON.stringify({
  model: 'overture-tts',
  input: 'The harbour was quiet before sunrise, and the fishing boats rocked gently against their ropes.',
  voice: 'ava',
  response_format: 'mp3',
  speed: 1,
  streaming: true,
});
/** Connections of the throughput runs, and of the latency runs (under load, a closed loop's latency is connections ÷ throughput). */
const MODES = { loaded: LOAD.connections, single: 1 } as const;
type Mode = keyof typeof MODES;
/** Far above the load's connections: the gateway's instance is never what requests wait for. */
const GATEWAY_CONCURRENCY = 256;
/** A run that has not had every answer after this many × BENCH_SECONDS is cut, and the row fails. */
const CAP = 6;

/**
 * One run of `count` requests over `connections`, ending when every answer is in: a request cut
 * mid-answer would leave the speech engine's slot taken (a streamed `/audio/speech` whose client
 * left never finishes), and later runs would measure that instead of the server.
 */
async function requests(server: OvertureServer, connections: number, count: number): Promise<LoadSummary> {
  const url = `${server.url}/api/v1/audio/speech`;
  const cap = CAP * LOAD.seconds;
  const options = { url, method: 'POST' as const, headers: jsonHeaders(server.key), body: BODY, connections, timeout: cap };
  const summary = await measureLoad({ ...options, maxOverallRequests: count, sampleInt: 100 }, 1, cap);
  const answered = summary.runs[0]?.total ?? 0;
  if (answered < count) throw new Error(`${url}: ${answered} of ${count} answers within ${cap} s`);
  return summary;
}

/**
 * `/audio/speech` through a gateway Overture (its `overture-tts` row bound to a `venice` instance
 * whose url is an upstream Overture) against the same requests sent to the upstream directly.
 * Both are children running the built server; runs alternate direct, gateway, direct…
 */
export const gatewaySpeechRow: Row = {
  id: 'gateway-speech',
  async run(): Promise<Figure[]> {
    const upstream = await startOverture();
    let files: GatewayFiles | undefined;
    let gateway: OvertureServer | undefined;
    try {
      files = writeGatewayFiles(
        { url: `${upstream.url}/api/v1`, api_key_env: 'OVERTURE_BENCH_UPSTREAM_KEY', concurrency: GATEWAY_CONCURRENCY },
        (rows) => rows.map((row) => (row.id === 'overture-tts' ? { ...row, engine: UPSTREAM_INSTANCE } : row)),
      );
      gateway = await startOverture({ ...files.env, OVERTURE_BENCH_UPSTREAM_KEY: upstream.key });
      // The speech engine's WebAssembly tiers up over its first calls: warm both sides, then size
      // each mode's runs from the direct side's rate to take about BENCH_SECONDS.
      for (const server of [upstream, gateway]) await requests(server, 1, 16);
      const counts = { loaded: 0, single: 0 };
      for (const mode of ['loaded', 'single'] as const) {
        const warm = Math.max(16, 4 * MODES[mode]);
        counts[mode] = Math.max(warm, Math.round((await requests(upstream, MODES[mode], warm)).rps * LOAD.seconds));
        await requests(gateway, MODES[mode], warm);
      }
      const sides = {
        direct: { loaded: [] as LoadSummary[], single: [] as LoadSummary[] },
        gateway: { loaded: [] as LoadSummary[], single: [] as LoadSummary[] },
      };
      for (let run = 0; run < LOAD.runs; run++)
        for (const mode of ['loaded', 'single'] as Mode[]) {
          sides.direct[mode].push(await requests(upstream, MODES[mode], counts[mode]));
          sides.gateway[mode].push(await requests(gateway, MODES[mode], counts[mode]));
        }
      const merged = (runs: LoadSummary[], what: string) => {
        const summary = summarize(runs.flatMap((it) => it.runs));
        assertClean(summary, what);
        return summary;
      };
      const loaded = { direct: merged(sides.direct.loaded, 'direct speech'), gateway: merged(sides.gateway.loaded, 'gateway speech') };
      const single = { direct: merged(sides.direct.single, 'direct speech'), gateway: merged(sides.gateway.single, 'gateway speech') };
      const added = single.gateway.p99 - single.direct.p99;
      const label = 'upstream directly';
      const name = '/audio/speech through a gateway, one sentence streamed';
      return [
        {
          row: 'gateway-speech',
          name: `${name}, ${LOAD.connections} conns: req/s`,
          value: loaded.gateway.rps,
          unit: '/s',
          baseline: { label, value: loaded.direct.rps },
          target: '≥ 0.8× direct',
          met: loaded.gateway.rps >= 0.8 * loaded.direct.rps,
          note: `p99 under this load ${loaded.gateway.p99} ms through the gateway, ${loaded.direct.p99} ms direct`,
          runs: [...loaded.gateway.runs, ...loaded.direct.runs],
        },
        {
          row: 'gateway-speech',
          name: `${name}, one at a time: p99`,
          value: single.gateway.p99,
          unit: 'ms',
          baseline: { label, value: single.direct.p99 },
          target: '≤ direct + 5 ms',
          met: added <= 5,
          note: `p50 ${single.gateway.p50} ms through the gateway, ${single.direct.p50} ms direct`,
          runs: [...single.gateway.runs, ...single.direct.runs],
        },
        {
          row: 'gateway-speech',
          name: `${name}: added p99 (gateway − direct, one at a time)`,
          value: added,
          unit: 'ms',
          target: '≤ 5 ms',
          met: added <= 5,
        },
      ];
    } finally {
      await gateway?.stop();
      await upstream.stop();
      files?.remove();
    }
  },
};
