// The part of presto-client 1.2.0's API the server tests use (the package ships no types).
declare module 'presto-client' {
  export interface PrestoStats { readonly state: string; readonly [k: string]: unknown }
  export interface PrestoColumn { readonly name: string; readonly type: string }
  export interface PrestoError { readonly message: string; readonly errorName?: string; readonly errorLocation?: unknown; readonly [k: string]: unknown }
  export interface ClientOptions {
    host: string; port: number; user?: string; catalog?: string; schema?: string; engine?: 'presto' | 'trino';
    checkInterval?: number; timeout?: number; jsonParser?: { parse(text: string): unknown };
  }
  export interface ExecuteOptions {
    query: string; catalog?: string; schema?: string; timezone?: string; session?: string; info?: boolean;
    cancel?: () => boolean;
    state?: (error: unknown, queryId: string, stats: PrestoStats) => void;
    columns?: (error: unknown, columns: PrestoColumn[]) => void;
    data?: (error: unknown, rows: unknown[][], columns: PrestoColumn[], stats: PrestoStats) => void;
    success?: (error: unknown, stats: PrestoStats, info?: unknown) => void;
    error?: (error: PrestoError) => void;
  }
  export class Client {
    constructor(o: ClientOptions);
    execute(o: ExecuteOptions): void;
    query(queryId: string, callback: (error: unknown, info: unknown) => void): void;
    kill(queryId: string, callback?: (error: unknown) => void): void;
    nodes(opts: unknown, callback: (error: unknown, nodes: unknown) => void): void;
  }
}
