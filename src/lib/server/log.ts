/**
 * The server's log lines, on standard output (events) and standard error (errors): plain text for a person
 * at a terminal (`npm start`), or one JSON object per line for a log collector (`ESCALE_LOG_FORMAT=json`,
 * docs/deploy.md, "Logs"). Every line has an event name, so a collector can count and alert on them.
 *
 * Never personal data: callers pass names of things and counts; an error is logged by its name, message, code
 * and stack only. PostgreSQL's `detail` (which quotes the values of a violated key, e-mail addresses included)
 * and a driver's other fields are left out on purpose.
 */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'error';
export type LogFields = Record<string, string | number | boolean | null>;

export interface LoggedError {
	name: string;
	message: string;
	code?: string;
	stack?: string;
}

export interface Logger {
	info(event: string, message: string, fields?: LogFields): void;
	error(event: string, message: string, error?: unknown): void;
}

/** What an error may say in a log: no `detail`, no query parameters, no row. */
export function describeError(error: unknown): LoggedError {
	if (!(error instanceof Error)) return { name: 'NonError', message: typeof error };
	const code = (error as { code?: unknown }).code;
	return {
		name: error.name,
		message: error.message,
		...(typeof code === 'string' ? { code } : {}),
		...(error.stack ? { stack: error.stack } : {})
	};
}

/** One line in `format` (without its newline). */
export function formatLine(
	format: LogFormat,
	level: LogLevel,
	event: string,
	message: string,
	extra: { fields?: LogFields; error?: LoggedError; time?: Date } = {}
): string {
	if (format === 'json') {
		return JSON.stringify({
			time: (extra.time ?? new Date()).toISOString(),
			level,
			event,
			message,
			...extra.fields,
			...(extra.error ? { error: extra.error } : {})
		});
	}
	if (!extra.error) return message;
	return `${message}\n${extra.error.stack ?? `${extra.error.name}: ${extra.error.message}`}`;
}

/** A logger writing `format` lines to the given sinks (the process's streams unless a test passes its own). */
export function createLogger(
	format: LogFormat,
	sinks: { out: (line: string) => void; err: (line: string) => void } = {
		out: (line) => process.stdout.write(`${line}\n`),
		err: (line) => process.stderr.write(`${line}\n`)
	}
): Logger {
	return {
		info: (event, message, fields) => sinks.out(formatLine(format, 'info', event, message, { fields })),
		error: (event, message, error) =>
			sinks.err(
				formatLine(format, 'error', event, message, {
					...(error === undefined ? {} : { error: describeError(error) })
				})
			)
	};
}

let current: Logger = createLogger('text');

/** The process's logger, in the format the configuration chose at start (app.ts). */
export function log(): Logger {
	return current;
}

export function setLogFormat(format: LogFormat): void {
	current = createLogger(format);
}
