import { readBundle } from '../../bundle/read-bundle.js';
import { getFactDefinition } from '../../facts/catalogue.js';
import { buildFacts } from '../../facts/build-facts.js';
import type { FactSet } from '../../facts/types.js';
import { formatFactValue } from '../../format/units.js';
import { InputError } from '../../errors.js';
import type { CliIo } from '../io.js';

export type FactsFormat = 'table' | 'json';

/** `memtriage facts <bundle>`: every fact with value, unit and source, then missing sources and warnings. */
export async function factsCommand(bundleDir: string, opts: { format: string }, io: CliIo): Promise<number> {
  if (opts.format !== 'table' && opts.format !== 'json') {
    throw new InputError('MT_ERR_CLI_USAGE', `--format must be table or json, not "${opts.format}"`);
  }
  const facts = buildFacts(await readBundle(bundleDir));
  io.out(
    opts.format === 'json' ? `${JSON.stringify(factsAsJson(facts), null, 2)}\n` : formatFactsTable(facts),
  );
  return 0;
}

export function factsAsJson(facts: FactSet) {
  return {
    facts: Object.entries(facts.values).map(([id, value]) => {
      const def = getFactDefinition(id)!;
      return { id, value, unit: def.unit, source: def.source };
    }),
    missingSources: facts.missingSources,
    warnings: facts.warnings,
    growingSites: facts.growingSites,
  };
}

export function formatFactsTable(facts: FactSet): string {
  const rows = Object.entries(facts.values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, value]) => {
      const def = getFactDefinition(id)!;
      return [id, formatFactValue(value, def.unit), def.unit];
    });
  const w0 = Math.max(4, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(5, ...rows.map((r) => r[1]!.length));
  const lines = [`${'FACT'.padEnd(w0)}  ${'VALUE'.padStart(w1)}  UNIT`];
  for (const [id, value, unit] of rows) lines.push(`${id!.padEnd(w0)}  ${value!.padStart(w1)}  ${unit}`);
  if (facts.growingSites.length > 0) {
    lines.push('', 'Allocation sites that grew (first → last heap profile):');
    for (const s of facts.growingSites) {
      lines.push(
        `  +${formatFactValue(s.inuseBytesDelta, 'bytes').padStart(10)}  ${s.function}${s.location ? ` (${s.location})` : ''}  [${s.kind}]`,
      );
    }
  }
  if (facts.missingSources.length > 0) {
    lines.push('', 'Missing sources:');
    for (const m of facts.missingSources) lines.push(`  ${m.source}: ${m.reason}`);
  }
  if (facts.warnings.length > 0) {
    lines.push('', `Warnings (${facts.warnings.length}):`);
    for (const w of facts.warnings)
      lines.push(`  ${w.file}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}
