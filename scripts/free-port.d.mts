// Types for free-port.mjs, which stays plain JavaScript so `npm start` can run it before `npm ci`.
export declare const BROWSER_BLOCKED_PORTS: ReadonlySet<number>;
export declare function portIsFree(port: number, host?: string): Promise<boolean>;
export declare function findFreePort(options: { from: number; host?: string; tries?: number }): Promise<{ port: number; busy: number[] }>;
