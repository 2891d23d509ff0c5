import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PdfError } from './errors.js';

/** coreutils timeout: kills the whole process group, even if our worker is gone by then. */
const TIMEOUT = '/usr/bin/timeout';

/**
 * Settings written into each private profile before LibreOffice first reads it: no macro
 * ever runs (security level "very high", execution off), linked content is never updated,
 * and every proxy points at a closed local port, so a document that links a remote image
 * or file cannot make the conversion fetch anything.
 */
const PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
`;

const CLOSED_PROXY = 'http://127.0.0.1:9';

/**
 * Runs LibreOffice in a process group of its own and kills the whole group at the time
 * limit. `soffice` is a shell script that starts oosplash, which starts soffice.bin:
 * killing only the first left the converter running. Under coreutils timeout the group is
 * killed even when the worker that started it was terminated first.
 */
function runGroup(
  file: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; timedOut: boolean }> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const [command, commandArgs] = existsSync(TIMEOUT)
    ? [TIMEOUT, ['-s', 'KILL', `${seconds}s`, file, ...args]]
    : [file, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { detached: true, stdio: 'ignore', env });
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group has already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      // Anything the converter left behind in its group goes with it.
      killGroup();
      // timeout(1) exits 137 (128 + KILL) when it had to kill the converter.
      resolve({ code, timedOut: timedOut || code === 137 });
    });
  });
}

/**
 * Converts an Office document with LibreOffice headless, in a private profile folder so
 * that parallel conversions and a desktop session do not lock each other out.
 */
export async function officeToPdf(
  bytes: Uint8Array,
  extension: string,
  soffice: string | null,
  timeoutMs: number,
): Promise<Uint8Array> {
  if (!soffice || !existsSync(soffice))
    throw new PdfError(
      'ConverterMissing',
      `Office documents need LibreOffice, which is not installed${soffice ? ` (no ${soffice})` : ''}`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-office-'));
  try {
    const input = join(dir, `document.${extension}`);
    await writeFile(input, bytes, { mode: 0o600 });
    const profile = join(dir, 'profile');
    await mkdir(join(profile, 'user'), { recursive: true });
    await writeFile(join(profile, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS);
    let result: { code: number | null; timedOut: boolean };
    try {
      result = await runGroup(
        soffice,
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--invisible',
          '--norestore',
          '--nologo',
          '--nolockcheck',
          '--convert-to',
          'pdf',
          '--outdir',
          join(dir, 'out'),
          input,
        ],
        timeoutMs,
        {
          ...process.env,
          HOME: dir,
          http_proxy: CLOSED_PROXY,
          https_proxy: CLOSED_PROXY,
          HTTP_PROXY: CLOSED_PROXY,
          HTTPS_PROXY: CLOSED_PROXY,
          no_proxy: '',
        },
      );
    } catch (error) {
      throw new PdfError('ConverterFailed', 'LibreOffice could not be started', error);
    }
    if (result.timedOut)
      throw new PdfError(
        'ConversionTimedOut',
        `LibreOffice did not finish the conversion within ${timeoutMs} ms`,
      );
    const produced = await readdir(join(dir, 'out')).catch(() => [] as string[]);
    const pdf = produced.find((name) => name.endsWith('.pdf'));
    if (result.code !== 0 || !pdf)
      throw new PdfError(
        'ConverterFailed',
        `LibreOffice could not convert the document (exit ${result.code}${pdf ? '' : ', no PDF'})`,
      );
    return await readFile(join(dir, 'out', pdf));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
