import type { FastifyInstance } from 'fastify';
import { nextEpochStart } from '../domain/currency.js';
import { fromMicros } from '../domain/money.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

/** `GET /billing/balance` (admin key) and `GET /api_keys/rate_limits` (any key). */
export function registerBillingRoutes(app: FastifyInstance, services: AppServices): void {
  app.get('/api/v1/billing/balance', { preHandler: authenticate(services.authentication, { admin: true }) }, async (request) => {
    const { account } = request.principal!;
    const balance = await services.accounts.balance(account.id);
    const diem = balance.diem.available;
    const usd = balance.usd.available;
    return {
      canConsume: diem > 0 || usd > 0,
      consumptionCurrency: diem > 0 ? 'DIEM' : usd > 0 ? 'USD' : null,
      balances: { diem: fromMicros(diem), usd: fromMicros(usd) },
      diemEpochAllocation: fromMicros(account.diemDaily),
    };
  });

  app.get('/api/v1/api_keys/rate_limits', { preHandler: authenticate(services.authentication) }, async (request) => {
    const { account, key } = request.principal!;
    const now = services.now();
    const balance = await services.accounts.balance(account.id, now);
    const limits = services.authentication.limits;
    return {
      data: {
        accessPermitted: balance.usd.available > 0 || balance.diem.available > 0,
        apiTier: { id: account.pro ? 'pro' : 'paid', isCharged: true },
        balances: { USD: fromMicros(balance.usd.available), DIEM: fromMicros(balance.diem.available) },
        keyExpiration: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
        nextEpochBegins: nextEpochStart(now).toISOString(),
        rateLimits: services.catalog.models.map((model) => ({
          apiModelId: model.id,
          rateLimits: [
            { amount: limits.queue, type: 'RPM' },
            { amount: limits.queue * 60 * 24, type: 'RPD' },
          ],
        })),
      },
    };
  });
}
