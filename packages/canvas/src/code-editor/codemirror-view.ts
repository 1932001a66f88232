import { autocompletion, type CompletionContext } from '@codemirror/autocomplete';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { JSON_PATH_MIME } from '../execution-view/render-json.js';
import type { PathSuggestion } from '../expressions/json-paths.js';
import { scopeToken } from '../expressions/scope-token.js';

/** Options for {@link createCodeMirror}. */
export interface CodeMirrorOptions {
  parent: HTMLElement;
  root: ShadowRoot | Document;
  value: string;
  language: 'javascript' | 'json' | 'sql' | 'html' | 'expression';
  readonly: boolean;
  completions: () => readonly PathSuggestion[];
  onChange: (value: string) => void;
  label: string;
}

/**
 * Creates a CodeMirror 6 view. This module is only ever loaded with `import()` by
 * `<weft-code-editor>`, which keeps CodeMirror out of the canvas's main bundle.
 *
 * @example
 * ```ts
 * const { createCodeMirror } = await import('./codemirror-view.js');
 * const view = createCodeMirror({ parent, root: this.shadowRoot, value: 'return items;', ... });
 * ```
 */
export function createCodeMirror(o: CodeMirrorOptions): EditorView {
  const scope = (ctx: CompletionContext) => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const token = scopeToken(line.text.slice(0, ctx.pos - line.from));
    if (!token) return null;
    return {
      from: ctx.pos - token.length,
      options: o.completions().map((s) => ({
        label: s.path,
        detail: s.sample ? `${s.type} · ${s.sample}` : s.type,
        type: s.type === 'function' ? 'function' : s.path.includes('.') ? 'property' : 'variable',
      })),
    };
  };
  const lang =
    o.language === 'json' ? [json()] : o.language === 'javascript' || o.language === 'expression' ? [javascript()] : [];
  return new EditorView({
    parent: o.parent,
    root: o.root,
    state: EditorState.create({
      doc: o.value,
      extensions: [
        basicSetup,
        ...lang,
        autocompletion({ override: [scope] }),
        EditorState.readOnly.of(o.readonly),
        EditorView.contentAttributes.of({ 'aria-label': o.label }),
        EditorView.domEventHandlers({
          // A field dragged from the input/output view: code gets its bare path, not the {{ }} template.
          drop(e, view) {
            const path = o.language === 'json' ? '' : e.dataTransfer?.getData(JSON_PATH_MIME);
            if (!path) return false;
            const pos = view.posAtCoords({ x: e.clientX, y: e.clientY }) ?? view.state.selection.main.head;
            view.dispatch({ changes: { from: pos, insert: path }, selection: { anchor: pos + path.length } });
            view.focus();
            e.preventDefault();
            return true;
          },
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
}
