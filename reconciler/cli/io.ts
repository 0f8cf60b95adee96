/** What a command reads and writes, injected so tests can drive commands in process. */
export interface CliIO {
  stdout(s: string): void
  stderr(s: string): void
  env: Record<string, string | undefined>
  stdin(): Promise<string>
  isTTY: boolean
  /** Called by long-running commands (`get -w`) to learn when to stop; default: on SIGINT/SIGTERM. */
  signal?: AbortSignal
}
