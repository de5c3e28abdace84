import type { DiagnosisOutcome } from '../diagnose/types.js';
import type { FactUnit, SeriesPoint } from '../facts/types.js';
import type { Severity } from '../rules/types.js';

/**
 * The channel-neutral runbook (docs/architecture.md, "Runbooks and channels"): rendered once per incident from a template, then
 * formatted by every channel at the edge. It is plain readonly JSON, so it can be stored, re-sent
 * and diffed. Text is never channel markup: it is a list of spans, and every span's text is
 * literal — each formatter escapes it for its own channel. That is what makes alert-supplied
 * strings inert everywhere.
 */

/** One run of inline text. `text` is literal in every kind (no markup inside). */
export type Span =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  /** `url` is always http(s); anything else is turned into text when the template is rendered. */
  | { readonly kind: 'link'; readonly text: string; readonly url: string };

/** A paragraph, list item or summary: spans in order. */
export type Rich = readonly Span[];

/** A comparison that decided the cause, already formatted in the fact's unit. */
export interface EvidenceRow {
  readonly fact: string;
  /** What the fact is, in words (from the fact catalogue). */
  readonly label: string;
  /** `88.0 MiB`, or `no data` when the fact was absent. */
  readonly value: string;
  /** The rule's side of the comparison: `> 256 KiB`, `present`. */
  readonly comparison: string;
  /** true passed, false failed, null could not be evaluated. */
  readonly passed: boolean | null;
}

export interface Step {
  readonly text: Rich;
  /** A command or snippet that belongs to this step. */
  readonly code?: { readonly lang: string; readonly code: string };
}

export interface ChartSeries {
  readonly name: string;
  /** Downsampled; `t` unix ms, `v` in the chart's unit. */
  readonly points: readonly SeriesPoint[];
}

export interface ChartData {
  readonly title: string;
  readonly unit: FactUnit;
  readonly series: readonly ChartSeries[];
  /** A horizontal line worth comparing against: the container limit, GOMEMLIMIT. */
  readonly limit?: { readonly label: string; readonly value: number };
}

export type Block =
  | { readonly kind: 'text'; readonly heading?: string; readonly paragraphs: readonly Rich[] }
  | { readonly kind: 'list'; readonly heading?: string; readonly items: readonly Rich[] }
  | { readonly kind: 'evidence'; readonly heading?: string; readonly rows: readonly EvidenceRow[] }
  | { readonly kind: 'steps'; readonly heading?: string; readonly steps: readonly Step[] }
  | { readonly kind: 'code'; readonly heading?: string; readonly lang: string; readonly code: string }
  | {
      readonly kind: 'links';
      readonly heading?: string;
      readonly links: readonly { readonly label: string; readonly url: string }[];
    }
  | { readonly kind: 'chart'; readonly heading?: string; readonly chart: ChartData };

export type BlockKind = Block['kind'];

/** How a secondary cause relates to the one the runbook is about. */
export interface RunbookCause {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: number;
  /** `top` for the runbook's own cause, `consequence` for a symptom it drove, `also` otherwise. */
  readonly role: 'top' | 'consequence' | 'also';
}

export interface Runbook {
  readonly version: 1;
  readonly incidentId: string;
  /** The template it was rendered from (a rule's runbook id, or `no-cause`). */
  readonly templateId: string;
  readonly outcome: DiagnosisOutcome;
  /** Plain text; alert-supplied parts included, so formatters escape it. */
  readonly title: string;
  readonly severity: Severity;
  readonly summary: Rich;
  readonly service?: string;
  readonly status: 'firing' | 'resolved' | 'unknown';
  readonly startsAt?: string;
  /** The alert's labels (alert-supplied: escape them). */
  readonly labels: Readonly<Record<string, string>>;
  /** Only URLs that parse as http(s) survive (serialised by the URL parser); anything else is dropped. */
  readonly generatorURL?: string;
  /** The incident's page (`server.externalUrl` + `/incidents/<id>`); set by `serve` when it knows its URL. */
  readonly incidentUrl?: string;
  /** Alertmanager's new-silence form for the alert's labels, when the webhook carried its externalURL. */
  readonly silenceUrl?: string;
  readonly causes: readonly RunbookCause[];
  readonly blocks: readonly Block[];
}

/** Channels `formatRunbook` knows. */
export type RunbookChannel = 'text' | 'markdown' | 'html' | 'slack' | 'email';

/** Compile-time exhaustiveness: a new block or span kind fails to compile where it is not handled. */
export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
