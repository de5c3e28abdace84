/** Where commands write, and what they may ask of the process. Only cli/main.ts binds this to the process. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (colour, progress). */
  isTty: boolean;
  /**
   * For long-running commands: installs SIGINT/SIGTERM handling (only when called, so short
   * commands keep the default Ctrl-C). `signal` aborts and `stopped` resolves with the signal name.
   */
  interrupts?: () => { signal: AbortSignal; stopped: Promise<string> };
  /** Calls fn on every SIGHUP. */
  onReload?: (fn: () => void) => void;
  /** The environment, for `${NAME}` secrets in the server config. */
  env?: Record<string, string | undefined>;
}
