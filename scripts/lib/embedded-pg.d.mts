export function freePort(preferred?: number): Promise<number>;
export function startEmbeddedPostgres(opts: { dir: string; port?: number; persistent?: boolean; ownSignals?: boolean }): Promise<{
  port: number;
  url: (db: string) => string;
  stop: () => Promise<void>;
  createDatabase: (name: string, template?: string) => Promise<void>;
}>;
