import type { TargetConfig } from '../../config/types.js';
import type { RenderRunbookOptions } from '../../runbook/render-runbook.js';
import type { IncidentRecord, Store } from '../../store/types.js';
import { incidentGroup } from './incident-group.js';
import { incidentLabels } from './incident-labels.js';
import { runbookTargetFor } from './runbook-target.js';

/**
 * What the server passes to renderRunbook for an incident, the same for the deliveries and the web
 * page: the template dirs, the configured target's address, and the alert's group.
 */
export async function runbookOptionsFor(
  incident: IncidentRecord,
  store: Pick<Store, 'incidentsInGroup'>,
  config: { targets: readonly TargetConfig[] } & {
    rules: { templates: readonly string[] };
    server: { externalUrl?: URL };
  },
): Promise<RenderRunbookOptions> {
  const group = await incidentGroup(store, incident, config.server.externalUrl);
  return {
    templatesDirs: config.rules.templates,
    target: runbookTargetFor(config.targets, incidentLabels(incident)),
    ...(group ? { group } : {}),
  };
}
