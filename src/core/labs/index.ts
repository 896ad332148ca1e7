/** The labs wing: run the course's assignments against the student's own program. */
export { labTexts, listLabs, loadLabs, runLab, runLabDetailed, DEFAULT_TIMEOUT_MS } from './labEngine';
export type { LabEngine, LabSources, RunLabEnvironment, LabRunDetail } from './labEngine';
export { BUILT_IN_LABS } from './builtInLabs';
export { LabFileError, loadLabFile, parseLabFile } from './labFile';
export { reportMarkdown, reportPaths, writeReport } from './report';
export type { LabCheck, LabCheckText, LabInfo, LabRun, LabParams } from './types';
