/** The domain model's public API. Modules may also be imported one by one (`$lib/domain/calendar`). */
export * from './calendar';
export * from './territory';
export * from './holidays';
export * from './schedule';
export * from './circuit';
export * from './reference';
export * from './validation';
export * from './visit';
export * from './referral';
export * from './phone';
export * from './member';
