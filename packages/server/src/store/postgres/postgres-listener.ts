import pg from 'pg';

/**
 * One dedicated connection that LISTENs on a channel and hands each payload to the current
 * listeners. It connects on the first subscription and reconnects after a failure; wake-ups
 * lost while it is down are covered by the workers' polling.
 */
export class PostgresListener {
  private readonly listeners = new Set<(payload: string) => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Call `listener` with every notification's payload until the returned function is called. */
  subscribe(listener: (payload: string) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the LISTEN is in place (for tests); undefined when not subscribed. */
  ready(): Promise<void> | undefined {
    return this.connecting;
  }

  private connect(): void {
    if (this.closed || this.client || this.connecting) return;
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      for (const listener of this.listeners) listener(message.payload ?? '');
    });
    client.on('error', (error) => this.failed(client, error));
    client.on('end', () => this.failed(client, new Error('listening connection ended')));
    this.connecting = client
      .connect()
      .then(() => client.query(`LISTEN ${this.channel}`))
      .then(() => {
        this.client = client;
      })
      .catch((error) => this.failed(client, error))
      .finally(() => {
        this.connecting = undefined;
      });
  }

  private failed(client: pg.Client, error: unknown): void {
    if (this.closed) return;
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.onError(error);
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.listeners.size > 0) this.connect();
    }, 1000);
    this.retry.unref();
  }

  /** Stop listening and close the connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
