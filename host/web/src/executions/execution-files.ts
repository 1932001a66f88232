import type { ExecutionDetail } from '@weft/client';
import type { BinaryRef, Item, PortItems } from '@weft/engine';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/** A file an execution's items refer to, with where it was first seen. */
export interface ExecutionFile extends BinaryRef {
  /** The item's binary property (`data`, `doc`, …). */
  property: string;
  /** "Trigger" or the name of the node whose output carried it first. */
  from: string;
}

const PREVIEW = /^(image\/(png|jpeg|gif|webp|avif)|text\/plain)$/;

function refsOf(ports: PortItems | undefined, from: string, seen: Map<string, ExecutionFile>): void {
  for (const items of Object.values(ports ?? {})) {
    for (const item of items as Item[]) {
      for (const [property, ref] of Object.entries(item.binary ?? {})) {
        if (ref && typeof ref.id === 'string' && !ref.id.startsWith('data:') && !seen.has(ref.id)) {
          seen.set(ref.id, { ...ref, property, from });
        }
      }
    }
  }
}

/**
 * Every stored file an execution's items refer to (trigger input first, then node outputs in run
 * order), each once.
 *
 * @example
 * ```ts
 * executionFiles(detail).map((f) => f.fileName);
 * ```
 */
export function executionFiles(detail: ExecutionDetail): ExecutionFile[] {
  const seen = new Map<string, ExecutionFile>();
  refsOf(detail.input, 'Trigger', seen);
  for (const run of detail.nodeRuns) refsOf(run.output, run.nodeName, seen);
  return [...seen.values()];
}

/** `1.2 MB`-style size. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * The files of an execution: name, type, size and where each came from, with Preview (images and
 * plain text) and Download. Bytes are fetched with the session, so no
 * token ever appears in a URL.
 */
export class ExecutionFilesPanel extends LightElement {
  static override properties = {
    detail: { attribute: false },
    previewing: { state: true },
    error: { state: true },
  };
  declare detail: ExecutionDetail | undefined;
  declare previewing: { file: ExecutionFile; url: string; text?: string } | undefined;
  declare error: string | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closePreview();
  }

  private async fetchFile(file: ExecutionFile, inline: boolean): Promise<Blob> {
    const d = this.detail as ExecutionDetail;
    const fileId = file.id.split('/').pop() as string;
    const path = `/workspaces/${encodeURIComponent(appState.workspaceId as string)}/executions/${encodeURIComponent(d.id)}/files/${encodeURIComponent(fileId)}`;
    const res = await appState.client.transport.raw('GET', path, inline ? { query: { inline: true } } : {});
    return res.blob();
  }

  private async download(file: ExecutionFile): Promise<void> {
    try {
      const url = URL.createObjectURL(await this.fetchFile(file, false));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName ?? `${file.property}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async preview(file: ExecutionFile): Promise<void> {
    this.closePreview();
    try {
      const blob = await this.fetchFile(file, true);
      const text = file.mimeType === 'text/plain' ? (await blob.text()).slice(0, 100_000) : undefined;
      this.previewing = {
        file,
        url: text === undefined ? URL.createObjectURL(blob) : '',
        ...(text !== undefined ? { text } : {}),
      };
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private closePreview(): void {
    if (this.previewing?.url) URL.revokeObjectURL(this.previewing.url);
    this.previewing = undefined;
  }

  override render() {
    const files = this.detail ? executionFiles(this.detail) : [];
    if (!files.length) return html``;
    const p = this.previewing;
    return html`<section class="execution-files" aria-label="Files">
      <h2>Files</h2>
      ${errorBox(this.error)}
      <table class="list">
        <thead><tr><th>Name</th><th>Type</th><th>Size</th><th>From</th><th></th></tr></thead>
        <tbody>
          ${files.map(
            (f) => html`<tr>
              <td>${f.fileName ?? f.property}</td>
              <td><code>${f.mimeType}</code></td>
              <td>${formatBytes(f.size)}</td>
              <td>${f.from} <span class="muted small">(${f.property})</span></td>
              <td class="actions">
                ${PREVIEW.test(f.mimeType) ? html`<button @click=${() => this.preview(f)}>Preview</button>` : ''}
                <button @click=${() => this.download(f)}>Download</button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${
        p
          ? html`<figure class="file-preview">
              <figcaption>${p.file.fileName ?? p.file.property}
                <button class="small" @click=${() => this.closePreview()}>Close</button></figcaption>
              ${
                p.text !== undefined
                  ? html`<pre>${p.text}</pre>`
                  : html`<img src=${p.url} alt=${p.file.fileName ?? p.file.property} />`
              }
            </figure>`
          : ''
      }
    </section>`;
  }
}
customElements.define('weft-execution-files', ExecutionFilesPanel);
