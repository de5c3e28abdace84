/**
 * The composition root: the one file in engine/ that imports integrations/ (test/meta/layering.test.ts
 * holds every other engine/ file to that). engine/ declares the Channel interface and the
 * channel-neutral Runbook; integrations/ implements them for Slack, email, files and stdout and
 * imports engine/ freely. Something has to bind the two, and the programs that do (`memtriage serve`
 * and the CLI's `--format slack|email`) live in engine/, so the binding is here and nowhere else.
 *
 * Importing this module loads @slack/web-api and nodemailer: the CLI imports it lazily, and only for
 * the formats that need it.
 */
export { createChannels } from '../integrations/create-channels.js';
export { formatRunbook } from '../integrations/format-runbook.js';
export { composeEml } from '../integrations/email/index.js';
