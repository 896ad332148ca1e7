/** The scenario-files wing: parse a saved conversation, run it against a server, and write one from the log. */
export { parseScenario } from './syntax';
export { describeBytes, runScenario, toScenarioResult } from './runner';
export type { BlockRun, ScenarioResult, StepRun } from './runner';
export { blockFromTraffic, kindFromId, type Conversation } from './fromTraffic';
export { blockMark, blockMarkText, stepMark } from './marks';
export { DIRECTIVES, type Directive } from './help';
export type { ScenarioBlock, ScenarioFile } from './scenarioTypes';
