import { type DynamicOptions, type MultiOptionsSpec, type OptionsSpec, param } from '@weft/engine';

type DynamicInput = Omit<OptionsSpec<string>, 'kind' | 'options' | 'default'> & DynamicOptions & { default?: string };
type MultiDynamicInput = Omit<MultiOptionsSpec<string>, 'kind' | 'options' | 'default'> &
  DynamicOptions & { default?: string[] };

function dynamic<S extends DynamicOptions>(s: S) {
  const { loader, searchable, dependsOn, ...rest } = s;
  const options: DynamicOptions = { loader };
  if (searchable !== undefined) options.searchable = searchable;
  if (dependsOn !== undefined) options.dependsOn = dependsOn;
  return { rest, options };
}

/**
 * Property builders for connector props: the engine's `param.*` builders under connector-friendly
 * names. They return exactly the engine's JSON specs, so `ctx.props` is inferred the same way.
 *
 * @example
 * ```ts
 * const props = {
 *   channel: Property.Dropdown({ label: 'Channel', loader: 'listChannels', searchable: true, required: true }),
 *   text: Property.LongText({ label: 'Message', required: true }),
 *   unfurl: Property.Checkbox({ label: 'Unfurl links', default: true }),
 * };
 * // ctx.props: { channel: string; text: string; unfurl: boolean }
 * ```
 */
export const Property = {
  ...param,
  ShortText: param.string,
  LongText: <const S extends Omit<Parameters<typeof param.string>[0], 'multiline'>>(s: S) =>
    param.string({ ...s, multiline: true as const }),
  Number: param.number,
  Checkbox: param.boolean,
  StaticDropdown: param.options,
  StaticMultiSelectDropdown: param.multiOptions,
  /** Options from a loader of the connector (`optionLoaders`), optionally searchable. */
  Dropdown: <const S extends DynamicInput>(s: S) => {
    const { rest, options } = dynamic(s);
    return { kind: 'options', ...rest, options } as Omit<S, keyof DynamicOptions> & {
      kind: 'options';
      options: DynamicOptions;
    };
  },
  /** Several options from a loader. */
  MultiSelectDropdown: <const S extends MultiDynamicInput>(s: S) => {
    const { rest, options } = dynamic(s);
    return { kind: 'multiOptions', ...rest, options } as Omit<S, keyof DynamicOptions> & {
      kind: 'multiOptions';
      options: DynamicOptions;
    };
  },
  Json: param.json,
  Code: param.code,
  DateTime: param.dateTime,
  File: param.file,
  Credential: param.credential,
  Object: param.collection,
  Array: param.list,
  SecretText: <const S extends Omit<Parameters<typeof param.string>[0], 'secret'>>(s: S) =>
    param.string({ ...s, secret: true as const }),
};
