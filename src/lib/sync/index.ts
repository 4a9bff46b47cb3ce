/** The sync protocol's public API, imported by both the tablet and the server. */
export * from './protocol';
export * from './records';
export * from './cursor';
export * from './enroll';
export * from './secret';
