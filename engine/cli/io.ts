/** Where commands write. Only cli/main.ts binds this to the process. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (colour, progress). */
  isTty: boolean;
  /** Aborted on Ctrl-C, for long-running commands that keep what they have. */
  signal?: AbortSignal;
}
