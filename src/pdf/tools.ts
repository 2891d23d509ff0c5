import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Paths of the external programs used when present; null means "not installed here". */
export interface ExternalTools {
  qpdf: string | null;
  soffice: string | null;
}

async function onPath(names: string[]): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this folder
      }
    }
  }
  return null;
}

/** Looks the programs up on PATH; a caller converting many files does this once. */
export async function findTools(): Promise<ExternalTools> {
  const [qpdf, soffice] = await Promise.all([onPath(['qpdf']), onPath(['soffice', 'libreoffice'])]);
  return { qpdf, soffice };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with a time limit; a non-zero exit is a result, not a throw. */
export function run(
  file: string,
  args: string[],
  timeoutMs: number,
  env?: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        env: env ?? process.env,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({
          code: error ? Number(error.code) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}
