/**
 * Crash-test writer: appends activity entries through the real store and prints `appended <id> <seq>` only
 * after each append's Promise resolved, i.e. after the store acknowledged it. The parent kills it with
 * SIGKILL mid-stream and checks every acknowledged entry survived.
 */
import { openSqliteStore } from '../open-store';

/** Safety cap so an orphaned child (parent test crashed) cannot run forever. */
const MAX_APPENDS = 200_000;

async function main(dataDir: string): Promise<void> {
  const store = await openSqliteStore(dataDir);
  process.stdout.write('ready\n');
  for (let seq = 0; seq < MAX_APPENDS; seq++) {
    const entry = await store.activity.append(
      { category: 'system', message: `seq ${seq}`, actor: 'crash-test', data: { seq } },
      new Date().toISOString(),
    );
    // The next append starts only once this line is in the kernel's pipe: a write to a pipe whose reader
    // lags (a loaded parent) is queued in this process, and a kill would lose the queued lines while their
    // rows stand in the file. Waiting for the write's callback keeps "written but not reported" to the one
    // append in progress, however slowly the parent reads.
    await new Promise<void>((resolve, reject) => process.stdout.write(`appended ${entry.id} ${seq}\n`, (error) => (error ? reject(error) : resolve())));
    // A write that completed at once calls back on the next tick, before any I/O: yield to the event loop
    // too, so the stdin 'end' below can stop an orphan.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.close();
}

process.stdin.on('end', () => process.exit(3));
process.stdin.resume();
main(process.argv[1]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
