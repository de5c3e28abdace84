/**
 * Every error code memtriage raises on purpose, with what it means. Codes are a public interface
 * (scripts match on them, HTTP bodies carry them): a code never changes meaning, and a retired code is
 * never reused. docs/errors.md documents each one; test/meta/error-codes.test.ts keeps the two, and
 * the code that raises them, in step.
 */
export const ERROR_CODES = {
  // bundles and their artifacts
  MT_ERR_BUNDLE_INVALID: 'A bundle directory, archive or one of its files cannot be read at all.',
  MT_ERR_PPROF_DECODE: 'A heap profile is not a valid gzip-compressed pprof protobuf.',
  MT_ERR_PPROF_LIMIT: 'A heap profile passed a decoding cap (samples, locations, strings or bytes).',
  // rules and templates
  MT_ERR_RULE_INVALID: 'The rule set failed to load: every problem is listed as file:line:column.',
  MT_ERR_RULE_COMPILE: 'A validated rule could not be compiled for the rules engine.',
  MT_ERR_RULE_EVAL: 'The rules engine failed while evaluating a rule (a fact of the wrong type).',
  MT_ERR_TEMPLATE_INVALID:
    'The runbook templates failed to load: every problem is listed as file:line:column.',
  MT_ERR_TEMPLATE_MISSING: 'A rule names a runbook template that no template directory holds.',
  MT_ERR_TEMPLATE_RENDER: 'A template failed while rendering a runbook.',
  // CLI input
  MT_ERR_CLI_USAGE: 'A command-line flag or argument is invalid.',
  MT_ERR_DIAGNOSIS_INVALID: 'The file given to `render` is not a diagnosis from `diagnose --format json`.',
  MT_ERR_EVAL_CORPUS: 'A corpus for `eval` is malformed: labels.json, or a case without its bundle.',
  MT_ERR_CONFIG_UNREADABLE: 'The config file cannot be read.',
  MT_ERR_CONFIG_INVALID: 'The config file is invalid: every problem is listed as file:line:column.',
  MT_ERR_CONFIG_OPEN_PAGES:
    '`serve` refuses to listen on a non-loopback address with no auth configured: the pages and webhooks would be open.',
  // collect
  MT_ERR_COLLECT_OPTIONS_INVALID: 'An option of `collect` is out of range (duration, interval, sizes).',
  MT_ERR_COLLECT_TARGET_INVALID: 'The `--target` URL is not an http(s) URL memtriage will fetch.',
  MT_ERR_COLLECT_PID_NOT_FOUND: 'The `--pid` process does not exist.',
  MT_ERR_COLLECT_CGROUP_INVALID: 'The `--cgroup` path is not a directory.',
  MT_ERR_COLLECT_OUTDIR_INVALID: 'The `--out` path cannot be used as a bundle directory.',
  MT_ERR_COLLECT_OUTDIR_NOT_EMPTY: 'The `--out` directory already has files in it.',
  MT_ERR_COLLECT_NOTHING: 'Collection finished without a single artifact.',
  // store and outbox
  MT_ERR_STORE_NOT_FOUND: 'The data directory holds no memtriage database.',
  MT_ERR_STORE_VERSION: 'The database was written by a newer memtriage (its schema version is higher).',
  MT_ERR_STORE_BUNDLES: 'This store keeps incident bundles on local disk, not in the database.',
  MT_ERR_STORE_URL: 'store.url (or --store) is not a PostgreSQL URL memtriage can use.',
  MT_ERR_STORE_UNAVAILABLE: 'The store cannot take writes right now (HTTP 503 with Retry-After).',
  MT_ERR_OUTBOX_NOT_FOUND: 'No dead or pending delivery has the given id.',
  MT_ERR_NOTIFY_FAILED: 'A channel failed to deliver a runbook (the outbox retries it).',
  // HTTP
  MT_ERR_HTTP_UNAUTHORIZED: 'The request lacks valid credentials (HTTP 401).',
  MT_ERR_HTTP_NOT_FOUND: 'No such route, incident or bundle (HTTP 404).',
  MT_ERR_HTTP_BODY_TOO_LARGE: 'The request body exceeds `server.bodyLimit` (HTTP 413).',
  MT_ERR_HTTP_MEDIA_TYPE: 'The request body is not `application/json` (HTTP 415).',
  MT_ERR_HTTP_BAD_JSON: 'The request body is not valid JSON (HTTP 400).',
  MT_ERR_HTTP_BAD_REQUEST: 'The request is malformed in another way (HTTP 400).',
  MT_ERR_HTTP_MISDIRECTED:
    'The Host header names neither this server nor an allowed host (HTTP 421; DNS rebinding).',
  MT_ERR_HTTP_BUSY:
    'Too many request bodies are being read before their credentials are checked (HTTP 503, Retry-After).',
  MT_ERR_HTTP_BAD_PAYLOAD: 'The JSON does not have the shape of the webhook (HTTP 422, with the path).',
  MT_ERR_INTERNAL:
    'An unexpected error: a bug. The server answers 500 and logs it; the CLI asks for a report.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
