/**
 * The languages the code assistance knows, by VS Code language id. Small on purpose: the host reads it at
 * activation (document selectors, the notes panel's code tab) without loading the assistance itself.
 */

/** The four language families the code assistance knows. TypeScript reads as JavaScript, C++ as C. */
export type ApiLanguage = 'python' | 'javascript' | 'java' | 'c';

/** Maps a VS Code language id onto a family; undefined for languages without socket assistance. */
export function apiLanguageOf(languageId: string): ApiLanguage | undefined {
  switch (languageId) {
    case 'python':
      return 'python';
    case 'javascript':
    case 'typescript':
    case 'javascriptreact':
    case 'typescriptreact':
      return 'javascript';
    case 'java':
      return 'java';
    case 'c':
    case 'cpp':
      return 'c';
    default:
      return undefined;
  }
}

/** Every VS Code language id that `apiLanguageOf` accepts (for document selectors). */
export const API_LANGUAGE_IDS: readonly string[] = [
  'python',
  'javascript',
  'typescript',
  'javascriptreact',
  'typescriptreact',
  'java',
  'c',
  'cpp',
];
