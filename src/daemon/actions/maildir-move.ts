import { mkdirSync } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ActionError } from '../../errors.js';
import type { ActionHandler } from '../ports.js';
import { ensureMaildir, locateMaildirFile, subfolderPath, uniqueName } from '../sources/maildir.js';

/**
 * Moves a mail from the Maildir inbox to a Maildir++ subfolder (the area's folder,
 * "Manuel fordeling" or quarantine). Idempotent: when the mail is already in the target
 * folder the move counts as done, so a retry after a crash never fails or doubles.
 */
export function createMaildirMove(inboxDir: string): ActionHandler {
  return async (action, message) => {
    const unique = message.locator.uid;
    const targetDir = subfolderPath(inboxDir, action.target);
    const already = await locateMaildirFile(targetDir, unique);
    const source = await locateMaildirFile(inboxDir, unique);
    if (!source) {
      if (already) return;
      throw new ActionError(
        'MailVanished',
        `mail ${message.id} is neither in the inbox nor in "${action.target}"`,
        false,
      );
    }
    ensureMaildir(targetDir);
    mkdirSync(join(targetDir, 'cur'), { recursive: true, mode: 0o700 });
    const name = basename(source);
    const target = join(targetDir, 'cur', name.includes(':') ? name : `${uniqueName(name)}:2,`);
    try {
      await rename(source, target);
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ENOENT' &&
        (await stat(target).catch(() => null))
      )
        return;
      throw new ActionError(
        'MoveFailed',
        `cannot move mail ${message.id} to "${action.target}"`,
        true,
        error,
      );
    }
  };
}
