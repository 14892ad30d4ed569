/** Runs the CLI in-process with captured output (fast), or as a real process (exit codes, stdin). */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { main } from "../../cli/main";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const ROOT = path.join(__dirname, "..", "..");

export async function cli(args: readonly string[], stdin?: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin ?? "",
    isTty: false,
    cwd: ROOT,
    now: new Date("2026-06-01T00:00:00Z"),
  });
  return { code, stdout, stderr };
}

/** The built CLI as a user runs it (`npm run build` first; jest's global setup does it). */
export function cliProcess(args: readonly string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "palisade.js"), ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
