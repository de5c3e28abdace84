/**
 * Where the incident list's columns come from in a stored webhook payload, as JSON paths, for both
 * stores' generated columns: an Alertmanager notification (`alerts[0]`, `commonLabels`), a generic
 * webhook (`alert`), or a single alert (`labels`). The first non-empty value wins.
 */
export const labelPaths = (name: string): string[] => [
  `$.alerts[0].labels.${name}`,
  `$.commonLabels.${name}`,
  `$.alert.labels.${name}`,
  `$.labels.${name}`,
];

/** The alert's summary, else its description (the list cuts it to 300 characters). */
export const SUMMARY_PATHS: readonly string[] = [
  '$.alerts[0].annotations.summary',
  '$.commonAnnotations.summary',
  '$.alert.annotations.summary',
  '$.annotations.summary',
  '$.alerts[0].annotations.description',
  '$.commonAnnotations.description',
  '$.alert.annotations.description',
];

/** When the alert started, as sent. */
export const STARTS_AT_PATHS: readonly string[] = ['$.alerts[0].startsAt', '$.alert.startsAt', '$.startsAt'];
