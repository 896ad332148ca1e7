/** The code-assistance wing: the socket calls in a program, its shape, and the lecture-pitfall lint. */
export { ApiScanner } from './apiIndex';
export type { ApiMatch } from './apiTables';
export { classifyProgram, type ProgramShape } from './programShape';
export { lintPython, shouldLintPython } from './pythonLint';
