/**
 * A child process for lock.test.ts: waits until the given moment so that all children
 * start together, then either takes the instance lock (`lock`) and holds it, or opens
 * the journal of a new data directory (`journal`). Prints one line saying what happened.
 */
import { join } from 'node:path';
import { InstanceLock } from '../../src/daemon/lock.js';
import { SqliteJournal } from '../../src/journal/sqlite-journal.js';

const [mode = '', dataDir = '', goAtText = '0', holdText = '0'] = process.argv.slice(2);

const wait = Number(goAtText) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

if (mode === 'journal') {
  try {
    new SqliteJournal(join(dataDir, 'journal.sqlite')).close();
    console.log('opened');
  } catch (error) {
    console.log(`failed ${(error as Error).message}`);
    process.exitCode = 1;
  }
} else {
  const lock = new InstanceLock(
    join(dataDir, 'postrobot.lock.db'),
    join(dataDir, 'postrobot.pid'),
    'the test',
  );
  try {
    lock.acquire();
  } catch (error) {
    console.log(`refused ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`held ${process.pid}`);
  await new Promise((resolve) => setTimeout(resolve, Number(holdText)));
  lock.release();
}
