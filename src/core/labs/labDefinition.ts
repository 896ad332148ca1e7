/** What a lab is to the engine: its description, its defaults, and how it runs and checks. */
import { joinText, type Text } from '../../shared/l10n';
import type { Protocol } from '../../shared/types';
import type { LabRunContext } from './labContext';
import type { LabParams, MadeCheck, OutputCheck } from './types';

export type LabDefinition = {
  id: string;
  title: string;
  summary: string;
  role: 'client' | 'server';
  protocol: Protocol;
  defaults: LabParams;
  /** The parameter names this lab reads besides port and timeoutMs (lab files may set only these). */
  params: string[];
  instructions: string;
  /** Extra checks on the program's output (lab files). */
  outputChecks?: OutputCheck[];
  /** 'built-in' or the lab file. */
  source?: string;
  /** For a lab file: the built-in lab it is a variant of. */
  base?: string;
  /** A built-in lab's title, summary and instructions as translatable texts (the English is formatted from them). */
  texts?: { title: Text; summary: Text; instructions?: Text };
  /** Starts the peer and the program, waits, and checks. The engine closes everything afterwards. */
  run(ctx: LabRunContext): Promise<MadeCheck[]>;
};

/** Instructions of several paragraphs (Markdown), each translated on its own. */
export function paragraphs(...parts: Text[]): Text {
  return joinText(parts, '\n\n');
}
