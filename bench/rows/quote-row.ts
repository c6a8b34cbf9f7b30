import type { BenchContext, Row } from '../support/context.js';
import { assertClean } from '../support/load.js';
import { jsonHeaders, startOverture } from '../support/overture-server.js';
import type { Figure } from '../support/result.js';

/**
 * `/audio/quote` twice: without a key (the contract's quote: a price, no store access) and with a
 * key as the SDK sends it (authentication, rate limit, balance headers and, on Overture's models,
 * a binding `quote_id` that is written to the store).
 */
export const quoteRow: Row = {
  id: 'quote',
  async run(context: BenchContext): Promise<Figure[]> {
    const server = await startOverture({ OVERTURE_ROLE: 'api' });
    try {
      const body = JSON.stringify({ model: 'overture-music', duration_seconds: 60 });
      const figures: Figure[] = [];
      for (const keyed of [false, true]) {
        const headers = keyed ? jsonHeaders(server.key) : { 'content-type': 'application/json' };
        const { overture, bare } = await context.paired({ url: `${server.url}/api/v1/audio/quote`, method: 'POST', headers, body }, body);
        assertClean(overture, 'quote');
        const figure = {
          row: 'quote',
          name: `/audio/quote ${keyed ? 'with a key (binding quote)' : 'without a key'}: req/s`,
          value: overture.rps,
          unit: '/s',
          baseline: { label: 'bare node:http', value: bare.rps },
          runs: overture.runs,
        };
        // The target is the contract's quote, which takes no key. With a key, Overture also
        // authenticates, rate-limits, reads the balance and signs a binding quote_id: an extension,
        // measured for information.
        figures.push(
          keyed
            ? {
                ...figure,
                target: '—',
                met: undefined,
                note: 'an extension (authentication and a signed quote_id); the target is the contract quote above',
              }
            : { ...figure, target: '≥ 0.6× bare', met: overture.rps >= 0.6 * bare.rps },
        );
      }
      return figures;
    } finally {
      await server.stop();
    }
  },
};
