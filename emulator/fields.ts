import { unprocessable, validationError } from './errors';
import { isUuid } from './store';

/**
 * Checks on request fields shared by several endpoints. The docs list only some of these
 * failures (400 `VALIDATION`); the rest answer 422 as observed live (docs/blocks-api.md §12,
 * §14.3).
 */

export function requireUuid(value: string, name: string): string {
	if (!isUuid(value)) throw unprocessable(`${name} must be a UUID`);
	return value;
}

/** §3.1 / §3.3: `message` is required. */
export function requiredMessage(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '')
		throw validationError('message is required');
	return value;
}

/** §8: the profile's fields are undocumented; only "an object" can be checked. */
export function requireProfileObject(profile: unknown): void {
	if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
		throw unprocessable('profile must be an object');
	}
}

/** §3.1 / §3.3 `artifact_ids`: uuid[]; ids the emulator does not know are ignored (§9, §14.18). */
export function optionalArtifactIds(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && isUuid(id))) {
		throw unprocessable('artifact_ids must be an array of UUIDs');
	}
	return value as string[];
}

export function optionalBoolean(value: unknown, name: string): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw unprocessable(`${name} must be a boolean`);
	return value;
}

export function optionalUuid(value: unknown, name: string): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || !isUuid(value)) throw unprocessable(`${name} must be a UUID`);
	return value;
}
