import '@weft/canvas/define';
import { Component, CUSTOM_ELEMENTS_SCHEMA, computed, input, output, signal } from '@angular/core';
import type { WorkflowChangeDetail } from '@weft/canvas';
import type { NodeTypeDescription, Workflow } from '@weft/engine';

/**
 * `<weft-node-palette>`, `<weft-canvas>` and `<weft-inspector>` wired together. With
 * CUSTOM_ELEMENTS_SCHEMA, `[prop]` bindings set the elements' DOM properties and `(event-name)`
 * listens to their DOM events. Pass the workflow of every `change` back in: the canvas keeps its
 * undo history as long as it gets the object it emitted.
 */
@Component({
  selector: 'app-weft-editor',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  host: { class: 'weft-editor' },
  template: `
    <weft-node-palette
      aria-label="Node palette"
      [nodeTypes]="nodeTypes()"
      [theme]="theme()"
      (node-type-select)="canvas.addNode($event.detail.type)"
    ></weft-node-palette>
    <weft-canvas
      #canvas
      [workflow]="workflow()"
      [nodeTypes]="nodeTypes()"
      [theme]="theme()"
      (workflow-change)="changed.emit($event.detail)"
      (selection-change)="onSelect($event.detail.nodeIds)"
    ></weft-canvas>
    <weft-inspector
      [node]="selected()"
      [nodeTypes]="nodeTypes()"
      [theme]="theme()"
      (node-change)="canvas.updateNode($event.detail.node, $event.detail.field)"
    ></weft-inspector>
  `,
})
export class WeftEditorComponent {
  readonly workflow = input.required<Workflow>();
  readonly nodeTypes = input.required<NodeTypeDescription[]>();
  readonly theme = input<'light' | 'dark'>('light');
  readonly changed = output<WorkflowChangeDetail>();

  readonly #selectedId = signal<string | null>(null);
  protected readonly selected = computed(() => this.workflow().nodes.find((n) => n.id === this.#selectedId()) ?? null);

  protected onSelect(nodeIds: string[]): void {
    this.#selectedId.set(nodeIds.length === 1 ? (nodeIds[0] ?? null) : null);
  }
}
