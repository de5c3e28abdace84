import type { Cause, Diagnosis, DiagnosisEvidence } from '../../diagnose/types.js';
import { getFactDefinition } from '../../facts/catalogue.js';
import type { FactUnit, FactValue } from '../../facts/types.js';
import { cleanText } from '../render/literal.js';
import { formatEvidenceValue } from './format-value.js';
import { comparisonText } from '../../diagnose/format-diagnosis.js';

/**
 * What a runbook is about, beyond the alert: where the process runs, so that commands can be
 * filled in for this incident. Values the diagnosis does not carry (a pid, a cgroup path) can be
 * passed by the caller from the bundle's meta.json; unknown ones are null, and templates print a
 * placeholder to substitute.
 */
export interface RunbookTarget {
  service: string | null;
  /**
   * host:port of the debug endpoint, from a trusted source only: the configured target (passed by
   * the server) or the bundle `memtriage collect` recorded. Never from an alert label: a command
   * must not send an engineer to a host an alert named.
   */
  instance: string | null;
  /** The alert's `instance` label, shown as data (with a warning) when `instance` is unknown. */
  instanceLabel: string | null;
  pid: string | null;
  /** Cgroup directory, e.g. `/sys/fs/cgroup/memory/kubepods/pod…/…`. */
  cgroup: string | null;
  /** go, jvm or none (fact runtime.kind). */
  runtime: string | null;
  /** `go1.19.8`, `17.0.15`. */
  runtimeVersion: string | null;
  limitBytes: number | null;
  cgroupVersion: number | null;
}

/** Another alert (instance) of the same Alertmanager group, with its own incident. */
export interface GroupMemberContext {
  id: string;
  /** What tells it apart: `instance=10.0.0.2:6060`. */
  name: string;
  status: string;
  /** Its incident page when `server.externalUrl` is set, else null. */
  url: string | null;
}

export interface RunbookGroup {
  /** Alerts of the group at this incident's time, this one included. */
  size: number;
  others: GroupMemberContext[];
}

export interface CauseContext {
  ruleId: string;
  title: string;
  severity: string;
  kind: string;
  confidence: number;
  description: string | null;
  consequenceOf: string | null;
  evidence: { fact: string; label: string; value: string; comparison: string; passed: boolean | null }[];
}

export interface SiteContext {
  function: string;
  location: string | null;
  kind: string;
  inuseBytesDelta: number;
  lastInuseBytes: number;
}

/** The object every template renders against (shape: context-shape.ts, which must match). */
export interface TemplateContext {
  incident: {
    id: string;
    source: string;
    service: string | null;
    status: string;
    startsAt: string | null;
    generatorURL: string | null;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  alert: { name: string | null; summary: string | null; description: string | null };
  target: RunbookTarget;
  outcome: string;
  cause?: CauseContext;
  causes: CauseContext[];
  others: CauseContext[];
  collectNext: string[];
  missingSources: { source: string; reason: string }[];
  growingSites: SiteContext[];
  topSite: SiteContext | null;
  warnings: number;
  /**
   * What the parsers could not read (a cut gctrace line, a garbled memory.stat), `file:line: message`,
   * the first few, then how many more `memtriage facts` lists.
   */
  inputProblems: string[];
  /** The alert's group: the other instances alerting with it (empty for a lone alert). */
  group: RunbookGroup;
  /**
   * What acquisition could not get, one line per problem (`pprof: GET /debug/pprof/heap: HTTP 404
   * (×3)`); empty when nothing failed. `target` is the configured target that was read.
   */
  acquisition: { target: string | null; problems: string[] };
}

function evidenceRow(e: DiagnosisEvidence): CauseContext['evidence'][number] {
  const label = getFactDefinition(e.fact)?.description.replace(/\.$/, '') ?? e.fact;
  return {
    fact: cleanText(e.fact),
    label: cleanText(label),
    value: e.value === undefined ? 'no data' : cleanText(formatEvidenceValue(e.value, e.unit, e.threshold)),
    comparison: cleanText(comparisonText(e)),
    passed: e.passed,
  };
}

function causeContext(c: Cause): CauseContext {
  return {
    ruleId: cleanText(c.ruleId),
    title: cleanText(c.title),
    severity: cleanText(c.severity),
    kind: cleanText(c.kind),
    confidence: c.confidence,
    description: c.description === undefined ? null : cleanText(c.description),
    consequenceOf: c.consequenceOf === undefined ? null : cleanText(c.consequenceOf),
    evidence: c.evidence.map(evidenceRow),
  };
}

const cleanRecord = (r: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [cleanText(k), cleanText(String(v))]));

const str = (v: string | undefined | null) =>
  v === undefined || v === null || v === '' ? null : cleanText(v);

/**
 * A process id is a positive integer; anything else (a label `-1`, `$(…)`) is not used, so a
 * command such as `kill -USR2 <pid>` shows the placeholder rather than signalling every process.
 */
const pidOf = (v: string | undefined | null) => {
  const s = str(v)?.trim();
  return s !== undefined && /^[1-9][0-9]{0,9}$/.test(s) ? s : null;
};

function numberFact(d: Diagnosis, id: string): number | null {
  const v = d.facts[id]?.value;
  return typeof v === 'number' ? v : null;
}

/** Acquisition problems listed on a runbook; the rest are counted. */
const MAX_PROBLEMS = 12;
/** Parse problems quoted in a runbook; the rest are counted. */
const MAX_INPUT_PROBLEMS = 5;

/** Builds the template context. Every field of the shape is present (null when unknown). */
export function buildTemplateContext(
  d: Diagnosis,
  target: Partial<RunbookTarget> = {},
  group?: RunbookGroup,
): TemplateContext {
  const labels = cleanRecord(d.incident.labels);
  const annotations = cleanRecord(d.incident.annotations);
  const runtime = d.facts['runtime.kind']?.value;
  const causes = d.causes.map(causeContext);
  const sites = d.growingSites.map((s) => ({
    function: cleanText(s.function),
    location: str(s.location),
    kind: cleanText(s.kind),
    inuseBytesDelta: s.inuseBytesDelta,
    lastInuseBytes: s.lastInuseBytes,
  }));
  const ctx: TemplateContext = {
    incident: {
      id: cleanText(d.incident.id),
      source: cleanText(d.incident.source),
      service: str(d.incident.service),
      status: cleanText(d.incident.status),
      startsAt: str(d.incident.startsAt),
      generatorURL: str(d.incident.generatorURL),
      labels,
      annotations,
    },
    alert: {
      name: labels['alertname'] ?? null,
      summary: annotations['summary'] ?? null,
      description: annotations['description'] ?? null,
    },
    target: {
      service: str(target.service ?? d.incident.service),
      // A caller that passes `instance` (even null) decides alone: the server passes its configured target's.
      instance: str('instance' in target ? target.instance : d.incident.target?.instance),
      instanceLabel: str(target.instanceLabel ?? labels['instance']),
      pid: pidOf(target.pid ?? labels['pid'] ?? d.incident.target?.pid?.toString()),
      cgroup: str(target.cgroup ?? labels['cgroup'] ?? d.incident.target?.cgroup),
      runtime: str(target.runtime ?? (typeof runtime === 'string' ? runtime : null)),
      runtimeVersion: str(target.runtimeVersion ?? d.incident.target?.runtimeVersion),
      limitBytes: target.limitBytes ?? numberFact(d, 'cgroup.limitBytes'),
      cgroupVersion: target.cgroupVersion ?? numberFact(d, 'cgroup.version'),
    },
    outcome: d.outcome,
    causes,
    others: causes.slice(1),
    collectNext: d.collectNext.map(cleanText),
    missingSources: d.missingSources.map((m) => ({
      source: cleanText(m.source),
      reason: cleanText(m.reason),
    })),
    growingSites: sites,
    topSite: sites[0] ?? null,
    warnings: d.warnings.length,
    inputProblems: d.warnings
      .slice(0, MAX_INPUT_PROBLEMS)
      .map((w) => cleanText(`${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`))
      .concat(
        d.warnings.length > MAX_INPUT_PROBLEMS
          ? [`… and ${d.warnings.length - MAX_INPUT_PROBLEMS} more (memtriage facts lists them all)`]
          : [],
      ),
    acquisition: {
      target: str(d.acquisition?.target),
      problems: (d.acquisition?.problems ?? [])
        .slice(0, MAX_PROBLEMS)
        .map((p) => cleanText(`${p.source}: ${p.message}${p.count > 1 ? ` (×${p.count})` : ''}`))
        .concat(
          (d.acquisition?.problems.length ?? 0) > MAX_PROBLEMS
            ? [`… and ${d.acquisition!.problems.length - MAX_PROBLEMS} more in acquisition-warnings.json`]
            : [],
        ),
    },
    group: {
      size: group?.size ?? 1,
      others: (group?.others ?? []).map((m) => ({
        id: cleanText(m.id),
        name: cleanText(m.name),
        status: cleanText(m.status),
        url: m.url !== null && /^https?:\/\//.test(m.url) ? m.url : null,
      })),
    },
  };
  if (causes[0] !== undefined) ctx.cause = causes[0];
  return ctx;
}

/** A fact's value from the diagnosis snapshot, with its unit (undefined when absent). */
export function lookupFact(d: Diagnosis, id: string): { value: FactValue; unit: FactUnit } | undefined {
  return d.facts[id];
}
