export function freePort(preferred?: number): Promise<number>;
export function startEmbeddedPostgres(opts: { dir: string; port?: number; persistent?: boolean; ownSignals?: boolean }): Promise<{
  port: number;
  url: (db: string) => string;
  /** The same server through its Unix socket (cheaper than TCP loopback on one machine). */
  socketUrl: (db: string) => string;
  stop: () => Promise<void>;
  createDatabase: (name: string, template?: string) => Promise<void>;
}>;
