/**
 * Editing `.sockets` files: diagnostics for syntax errors and unknown variables (Problems view, on the line),
 * completion for the line kinds and `{{variables}}`, hovers that explain what a line will do on the wire,
 * folding by block, and the Send / Run All CodeLenses.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { scenarios } from '../../wings';
import { blockAt, isScenarioDocument, parsedDocument, SCENARIO_LANGUAGE, toRange } from './documents';
import { localizedText } from '../../l10n';

const SOURCE = 'Socket Playground';

export function registerScenarioDiagnostics(): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('socketPlayground.scenarios');
  const update = (doc: vscode.TextDocument) => {
    if (!isScenarioDocument(doc)) {
      return;
    }
    collection.set(
      doc.uri,
      parsedDocument(doc).errors.map((e) => {
        const d = new vscode.Diagnostic(
          toRange(doc, e.line, e.column, e.endColumn),
          e.text ? localizedText(e.text) : e.message,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = SOURCE;
        d.code = e.code;
        return d;
      }),
    );
  };
  vscode.workspace.textDocuments.forEach(update);
  return [
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => update(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  ];
}

class ScenarioCompletion implements vscode.CompletionItemProvider {
  /** @inheritdoc */
  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
    const lineText = doc.lineAt(pos.line).text;
    const prefix = lineText.slice(0, pos.character);
    const inVar = /\{\{\s*([\w.-]*)$/.exec(prefix);
    if (inVar) {
      return this.variables(doc, pos, inVar[1]!.length, lineText.slice(pos.character).startsWith('}}'));
    }
    const start = /^\s*(\S*)$/.exec(prefix);
    if (!start) {
      return [];
    }
    const range = new vscode.Range(pos.line, pos.character - start[1]!.length, pos.line, pos.character);
    return scenarios().DIRECTIVES.map((d, i) => {
      const item = new vscode.CompletionItem(
        { label: d.label, description: localizedText(d.summaryText) },
        d.label.startsWith('@') ? vscode.CompletionItemKind.Variable : vscode.CompletionItemKind.Keyword,
      );
      item.insertText = new vscode.SnippetString(d.snippet);
      item.documentation = new vscode.MarkdownString(localizedText(d.summaryText));
      item.range = range;
      item.sortText = String(i).padStart(2, '0');
      return item;
    });
  }

  private variables(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    typed: number,
    closed: boolean,
  ): vscode.CompletionItem[] {
    const file = parsedDocument(doc);
    const line = pos.line + 1;
    const seen = new Map<string, string>();
    for (const v of file.variables) {
      if (v.line < line) {
        seen.set(v.name, vscode.l10n.t('= {0} (line {1})', v.value, v.line));
      }
    }
    const block = blockAt(file, line);
    if (block?.steps.some((s) => s.op === 'server' && s.line < line)) {
      seen.set('serverPort', vscode.l10n.t("the port of this block's server"));
    }
    const lines = doc.getText().split('\n');
    const repeatOpen = (() => {
      for (let l = pos.line - 1; l >= Math.max(0, (block?.line ?? 1) - 1); l--) {
        const t = lines[l]!.trim();
        if (t === 'done') {
          return false;
        }
        if (/^repeat\b/.test(t)) {
          return true;
        }
      }
      return false;
    })();
    if (repeatOpen) {
      seen.set('i', vscode.l10n.t('the round of the repeat, from 1'));
    }
    const range = new vscode.Range(pos.line, pos.character - typed, pos.line, pos.character);
    return [...seen].map(([name, detail]) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
      item.detail = detail;
      item.insertText = closed ? name : `${name}}}`;
      item.range = range;
      return item;
    });
  }
}

class ScenarioHover implements vscode.HoverProvider {
  /** @inheritdoc */
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const file = parsedDocument(doc);
    const line = pos.line + 1;
    const text = doc.lineAt(pos.line).text;
    for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      if (pos.character >= m.index && pos.character <= m.index + m[0].length) {
        const name = m[1]!;
        const def = [...file.variables].reverse().find((v) => v.name === name && v.line < line);
        const md = new vscode.MarkdownString();
        if (def) {
          md.appendMarkdown(`**{{${name}}}** = `)
            .appendText(def.value)
            .appendMarkdown(vscode.l10n.t(' (set on line {0})', def.line));
        } else if (name === 'serverPort') {
          md.appendMarkdown(
            vscode.l10n.t(
              "**{{serverPort}}**: the port the block's `server` line got, filled in when it runs.",
            ),
          );
        } else if (name === 'i') {
          md.appendMarkdown(vscode.l10n.t('**{{i}}**: the round of the enclosing `repeat`, 1, 2, 3, …'));
        } else {
          md.appendMarkdown(vscode.l10n.t('**{0}** is not defined above this line.', `{{${name}}}`));
        }
        return new vscode.Hover(md, new vscode.Range(pos.line, m.index, pos.line, m.index + m[0].length));
      }
    }
    const info = file.lines.find((l) => l.line === line);
    if (!info) {
      return undefined;
    }
    return new vscode.Hover(
      new vscode.MarkdownString(info.detailText ? localizedText(info.detailText) : info.detail),
      doc.lineAt(pos.line).range,
    );
  }
}

class ScenarioFolding implements vscode.FoldingRangeProvider {
  /** @inheritdoc */
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    return parsedDocument(doc)
      .blocks.filter((b) => b.endLine > b.line)
      .map((b) => new vscode.FoldingRange(b.line - 1, b.endLine - 1, vscode.FoldingRangeKind.Region));
  }
}

/** The argument the lenses give runScenario: the file path (or the URI of an unsaved document). */
export function scenarioPathArg(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}

export class ScenarioCodeLens implements vscode.CodeLensProvider {
  /** @inheritdoc */
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = parsedDocument(doc);
    if (file.blocks.length === 0) {
      return [];
    }
    const path = scenarioPathArg(doc);
    const lenses = [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title:
          file.blocks.length === 1
            ? vscode.l10n.t('$(run-all) Run All ({0} block)', file.blocks.length)
            : vscode.l10n.t('$(run-all) Run All ({0} blocks)', file.blocks.length),
        tooltip: vscode.l10n.t('Socket Playground: send every block of this file in order'),
        command: Commands.RunScenario,
        arguments: [{ path }],
      }),
    ];
    for (const b of file.blocks) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(b.line - 1, 0, b.line - 1, 0), {
          title: b.errors.length
            ? b.errors.length === 1
              ? vscode.l10n.t('$(play) Send ({0} problem)', b.errors.length)
              : vscode.l10n.t('$(play) Send ({0} problems)', b.errors.length)
            : vscode.l10n.t('$(play) Send'),
          tooltip: vscode.l10n.t('Socket Playground: run the block "{0}"', b.name),
          command: Commands.RunScenario,
          arguments: [{ path, block: b.name }],
        }),
      );
    }
    return lenses;
  }
}

export function registerScenarioEditorFeatures(): vscode.Disposable[] {
  const selector: vscode.DocumentSelector = { language: SCENARIO_LANGUAGE };
  return [
    ...registerScenarioDiagnostics(),
    vscode.languages.registerCompletionItemProvider(
      selector,
      new ScenarioCompletion(),
      '{',
      '@',
      '>',
      '<',
      '#',
    ),
    vscode.languages.registerHoverProvider(selector, new ScenarioHover()),
    vscode.languages.registerFoldingRangeProvider(selector, new ScenarioFolding()),
    vscode.languages.registerCodeLensProvider(selector, new ScenarioCodeLens()),
  ];
}
