// Worker threads cannot load .ts by themselves; register tsx's loader, then run the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
