import type { Item, JsonObject, ParameterFields, ParameterValues, SideEffects } from '@weft/engine';
import type { ActionContext } from './connector-context.js';

/**
 * What `run` may return: nothing, one JSON object, an item (`{ json, binary }`) or an array of
 * either. Objects whose only keys are `json` (an object) and optionally `binary` count as items.
 *
 * @example
 * ```ts
 * run: () => [{ a: 1 }, { json: { b: 2 }, binary: { data: ref } }] // ActionOutput
 * ```
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets `run` end without a return
export type ActionOutput = void | undefined | JsonObject | Item | (JsonObject | Item)[];

/**
 * An action: one thing a connector does. `run` is called once per input item (or once with no
 * input) in the default `perItem` mode, and once for all items in `batch` mode.
 *
 * @example
 * ```ts
 * const action: ActionDefinition = defineAction({ name: 'ping', displayName: 'Ping', description: 'Pings', sideEffects: 'none', props: {}, run: () => ({ pong: true }) });
 * ```
 */
export interface ActionDefinition<F extends ParameterFields = ParameterFields> {
  /** camelCase, unique within the connector (per version). */
  name: string;
  displayName: string;
  description: string;
  /** Other words people search for it by (`post`, `chat`); the editor's palette matches them. */
  aliases?: readonly string[];
  /** Overrides the connector's icon (URL or data URI), e.g. {@link svgIcon}. */
  icon?: string;
  props: F;
  /** `none` (pure), `idempotent`, `once` (not repeated once checkpointed) or `atMostOnce` (never repeated). */
  sideEffects: SideEffects;
  /** Node type version; workflows pin it. Default 1. */
  version?: number;
  mode?: 'perItem' | 'batch';
  /** Extra markdown for the generated docs: when it fires, limits, examples. */
  docs?: string;
  /** An example output item, for docs and the editor. */
  sample?: JsonObject;
  run(ctx: ActionContext<ParameterValues<F>>): Promise<ActionOutput> | ActionOutput;
}

/**
 * Defines an action; keeps the props' types so `ctx.props` is inferred.
 *
 * @example
 * ```ts
 * const getUser = defineAction({
 *   name: 'getUser',
 *   displayName: 'Get user',
 *   description: 'Fetches a user by login',
 *   sideEffects: 'none',
 *   props: { login: Property.ShortText({ label: 'Login', required: true }) },
 *   run: async (ctx) => (await ctx.http.request<JsonObject>({ url: `https://api.github.com/users/${ctx.props.login}` })).body,
 * });
 * ```
 */
export function defineAction<const F extends ParameterFields>(action: ActionDefinition<F>): ActionDefinition<F> {
  return action;
}
