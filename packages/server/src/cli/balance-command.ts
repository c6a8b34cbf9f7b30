import { clientCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { formatUsd } from './table.js';

/** `overture balance`: the account's balances (admin key). */
export const balanceCommand = clientCommand({
  summary: "Show the account's USD and DIEM balances (admin key)",
  usage: 'overture balance',
  async run({ output, signal, client }) {
    const balance = await client().billing.balance({ signal });
    const lines = [
      `USD   ${balance.balances.usd === null ? '-' : formatUsd(balance.balances.usd)}`,
      `DIEM  ${balance.balances.diem ?? '-'} (daily allocation ${balance.diemEpochAllocation})`,
      balance.canConsume ? `Spending from ${balance.consumptionCurrency}` : 'Cannot spend: the balance is empty',
    ];
    output.result(lines.join('\n'), balance);
    return EXIT.ok;
  },
});
