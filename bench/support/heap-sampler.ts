/**
 * Preloaded into orchestrator children by `npm run bench -- --heap-profile DIR` (node --require). Samples
 * allocations from start to SIGTERM, including objects the GC already collected, and writes
 * DIR/heap.PID.heapprofile. A profile of live objects only would miss what drives peak memory here: garbage
 * that lived long enough to be promoted. BENCH_HEAP_PROFILE_YOUNG=0 leaves out what died young, which
 * leaves what was promoted (or is still live).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';

const dir = process.env.BENCH_HEAP_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const young = process.env.BENCH_HEAP_PROFILE_YOUNG !== '0';
  session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: young });
  // Before the orchestrator's own SIGTERM handler, which exits once it has stopped.
  process.prependListener('SIGTERM', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `heap.${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  });
}
