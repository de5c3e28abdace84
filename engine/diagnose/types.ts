import type {
  AcquisitionReport,
  FactSet,
  FactSource,
  FactUnit,
  FactValue,
  FactWarning,
  MissingSource,
  SeriesPoint,
} from '../facts/types.js';
import type { ComparisonOp, ConditionNode, ConditionStatus, RuleKind, Severity } from '../rules/types.js';

/** Where an incident came from and what the alert said (docs/architecture.md, "Rules and the diagnosis model"). */
export interface IncidentInfo {
  id: string;
  source: 'cli' | 'alertmanager' | 'generic';
  /** Bundle directory the diagnosis was made from. */
  bundle?: string;
  service?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  status: 'firing' | 'resolved' | 'unknown';
  generatorURL?: string;
  /** What the bundle says about the process (meta.json), so runbook commands can be filled in. */
  target?: IncidentTarget;
}

export interface IncidentTarget {
  /** host:port of the debug endpoint. */
  instance?: string;
  pid?: number;
  /** The memory cgroup directory. */
  cgroup?: string;
  /** `go1.19.8`, the `java -version` text. */
  runtimeVersion?: string;
}

/** One piece of evidence, serialisable: the fact, its value and the threshold it was compared with. */
export interface DiagnosisEvidence {
  fact: string;
  unit: FactUnit;
  /** Absent when the fact could not be computed. */
  value?: FactValue;
  op: ComparisonOp;
  /** As written in the rule (`256KiB`, `80%`). */
  threshold: string;
  /** true passed, false failed, null could not be evaluated for lack of data. */
  passed: boolean | null;
}

export interface Cause {
  ruleId: string;
  title: string;
  severity: Severity;
  kind: RuleKind;
  /** 0–1: the rule's prior, lowered when some of its conditions could not be evaluated. */
  confidence: number;
  runbook: string;
  description?: string;
  /** The comparisons that decided the rule (passed ones first). */
  evidence: DiagnosisEvidence[];
  /** For a symptom: the cause that most likely drove it (the top-ranked fired cause). */
  consequenceOf?: string;
}

/** Per-rule explanation (explain mode): which conditions passed, failed or lacked data. */
export interface RuleExplanation {
  ruleId: string;
  fired: boolean;
  status: ConditionStatus;
  conditions: ConditionNode;
}

export type DiagnosisOutcome = 'cause-found' | 'healthy' | 'inconclusive';

export interface Diagnosis {
  /** Schema version of this JSON document. */
  version: 1;
  generatedAt: string;
  incident: IncidentInfo;
  outcome: DiagnosisOutcome;
  /** Fired rules, ranked: causes before symptoms, then severity, then confidence. */
  causes: Cause[];
  /** For healthy/inconclusive: what to collect next to decide. Always present, maybe empty. */
  collectNext: string[];
  missingSources: MissingSource[];
  /** The fact snapshot the rules saw, with units and sources. */
  facts: Record<string, { value: FactValue; unit: FactUnit; source: FactSource }>;
  /** Series behind the facts (for charts), and the allocation sites that grew. */
  series: Record<string, SeriesPoint[]>;
  growingSites: FactSet['growingSites'];
  warnings: FactWarning[];
  /** What acquisition could not get, when the bundle says (meta.json warnings, acquisition-warnings.json). */
  acquisition?: AcquisitionReport;
  /** Present in explain mode: every rule, fired or not. */
  explain?: RuleExplanation[];
}
