/** The `sockets` language in the editor: editing features, and the runs that show results inline and in Testing. */
import type * as vscode from 'vscode';
import type { Ctx } from '../../context';
import { registerScenarioEditorFeatures } from './editorFeatures';
import { ScenarioRuns } from './scenarioRuns';

export function registerScenarioLanguage(ctx: Ctx): { runs: ScenarioRuns; disposables: vscode.Disposable[] } {
  const runs = new ScenarioRuns(ctx);
  return { runs, disposables: [runs, ...registerScenarioEditorFeatures()] };
}
