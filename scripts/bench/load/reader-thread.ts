/**
 * The entry of the residents' thread (reader.ts): reads the public pages until the bench posts 'stop', then posts
 * its figures back ('reading' first, as it starts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readUntil, type ReaderThreadData } from './reader';

let running = true;
parentPort?.once('message', () => (running = false));
parentPort?.postMessage('reading');
const result = await readUntil(workerData as ReaderThreadData, () => running);
parentPort?.postMessage(result);
