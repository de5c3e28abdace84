import type { Diagnosis } from '../../diagnose/types.js';
import type { TemplateContext } from '../context/template-context.js';
import type { Block, Rich } from '../types.js';
import { blockMarker } from './literal.js';

/**
 * Per-render scratchpad the helpers write to (passed as `@mt` data). Helpers that produce a block
 * store it here and leave a marker in the output, so blocks keep the order the template gives them
 * even when they are nested (a command inside a step).
 */
export class RenderState {
  private readonly blocks: Block[] = [];
  private readonly consumed = new Set<number>();
  title?: string;
  summary?: Rich;
  /** Language of the `{{#code}}` block being rendered, if any (a shell block quotes its values itself). */
  codeLang?: string;

  constructor(
    readonly diagnosis: Diagnosis,
    readonly context: TemplateContext,
  ) {}

  /** Stores a block and returns its marker. */
  add(block: Block): string {
    this.blocks.push(block);
    return blockMarker(this.blocks.length - 1);
  }

  get(index: number): Block | undefined {
    return this.consumed.has(index) ? undefined : this.blocks[index];
  }

  /** Takes a block out of the top-level flow because its parent absorbed it (a step's command). */
  consume(index: number): Block | undefined {
    const b = this.blocks[index];
    if (b !== undefined) this.consumed.add(index);
    return b;
  }
}
