import { fileURLToPath } from 'node:url';

/** The installed package's root: the embedded default rules and templates live beside the engine. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../rules', import.meta.url));
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));
