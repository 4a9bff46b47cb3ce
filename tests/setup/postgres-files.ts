/**
 * Vitest setup file (vite.config.ts), run before each test file: hands tests/factories/postgres.ts the run's
 * migrated template, made by the global setup (tests/setup/postgres.ts). Kept apart from the factory, which the
 * bench bundles and which must not import Vitest.
 */
import { inject } from 'vitest';
import { useTestPgRun } from '../factories/postgres';

useTestPgRun(inject('escaleTestPg'));
