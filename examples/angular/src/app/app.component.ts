import { Component, signal } from '@angular/core';
import type { WorkflowChangeDetail } from '@weft/canvas';
import { builtinNodeTypes, NodeRegistry, type Workflow } from '@weft/engine';
import orderTotal from '../../../workflows/order-total.json';
import { EmbeddedWeftComponent } from './embedded-weft.component';
import { WeftEditorComponent } from './weft-editor.component';

const { $schema: _schema, ...exampleWorkflow } = orderTotal;

@Component({
  selector: 'app-root',
  imports: [WeftEditorComponent, EmbeddedWeftComponent],
  template: `
    <header>
      <h1>Weft in Angular</h1>
      <output aria-live="polite">{{ embedStatus() }}</output>
      <button type="button" (click)="openEmbed()">Open Weft in a modal</button>
    </header>
    <app-weft-editor [workflow]="workflow()" [nodeTypes]="nodeTypes" (changed)="onChange($event)" />
    <ol class="changes" aria-label="Workflow changes">
      @for (change of changes(); track $index) {
        <li>{{ change }}</li>
      }
    </ol>
    @if (embedOpen()) {
      <app-embedded-weft
        view="workflows"
        target="modal"
        [theme]="{ colors: { primary: '#7c3aed' } }"
        (event)="onEmbedEvent($event.event, $event.payload)"
        (closed)="embedStatus.set('closed'); embedOpen.set(false)"
        (failed)="embedStatus.set($event.message)"
      />
    }
  `,
})
export class AppComponent {
  protected readonly nodeTypes = new NodeRegistry().register(...builtinNodeTypes).describe();
  protected readonly workflow = signal<Workflow>(exampleWorkflow as Workflow);
  protected readonly changes = signal<string[]>([]);
  protected readonly embedOpen = signal(false);
  protected readonly embedStatus = signal('');

  protected onChange({ workflow, label }: WorkflowChangeDetail): void {
    console.log('workflow-change', label, workflow);
    this.workflow.set(workflow);
    this.changes.update((c) => [...c, `${label} (${workflow.nodes.length} nodes)`]);
  }

  protected openEmbed(): void {
    this.embedStatus.set('connecting…');
    this.embedOpen.set(true);
  }

  protected onEmbedEvent(event: string, payload: unknown): void {
    console.log('weft', event, payload);
    if (event === 'ready') this.embedStatus.set('ready');
  }
}
