export declare const WORKER_BUNDLE: string;
export declare const WORKER_NODE_ARGS: string[];
export declare function buildWorker(): void;
export declare const WORKER_ENV: Record<string, string>;
