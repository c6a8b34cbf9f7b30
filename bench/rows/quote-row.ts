import type { BenchContext, Row } from '../support/context.js';
import { assertClean } from '../support/load.js';
import { jsonHeaders, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';

/** `/audio/quote` with a key (as the SDK sends it): authentication, rate limit, balance headers, pricing. */
export const quoteRow: Row = {
  id: 'quote',
  async run(context: BenchContext): Promise<Figure[]> {
    const server = await startOverture({ OVERTURE_ROLE: 'api' });
    try {
      const body = JSON.stringify({ model: 'overture-music', duration_seconds: 60 });
      const { overture: summary, bare } = await context.paired(
        { url: `${server.url}/api/v1/audio/quote`, method: 'POST', headers: jsonHeaders(server.key), body },
        body,
      );
      assertClean(summary, 'quote');
      return [
        { row: 'quote', name: '/audio/quote: req/s', value: summary.rps, unit: '/s', baseline: { label: 'bare node:http', value: bare.rps },
          target: '≥ 0.6× bare', met: summary.rps >= 0.6 * bare.rps, runs: summary.runs },
      ];
    } finally {
      await server.stop();
    }
  },
};
