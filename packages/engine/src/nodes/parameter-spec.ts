import type { JsonObject, JsonValue } from '../model/json.js';

/** Show a parameter only when other parameters have one of the given values. */
export type DisplayOptions = { show?: Record<string, JsonValue[]>; hide?: Record<string, JsonValue[]> };

interface BaseSpec<TKind extends string> {
  kind: TKind;
  label: string;
  description?: string;
  required?: boolean;
  /** Whether `{{ }}` expressions are allowed (default true for scalar kinds). */
  expressions?: boolean;
  displayOptions?: DisplayOptions;
  placeholder?: string;
}

export interface StringSpec extends BaseSpec<'string'> {
  default?: string;
  multiline?: boolean;
  /** Validate the literal value (expressions are checked after evaluation). */
  pattern?: string;
  secret?: boolean;
}
export interface NumberSpec extends BaseSpec<'number'> {
  default?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}
export interface BooleanSpec extends BaseSpec<'boolean'> {
  default?: boolean;
}
export interface OptionChoice {
  value: string;
  label: string;
  description?: string;
}
/**
 * A loader for options that come from elsewhere (e.g. Slack channels). The canvas calls the
 * host, which calls the loader with the current parameters and a search string.
 */
export interface DynamicOptions {
  loader: string;
  searchable?: boolean;
  dependsOn?: string[];
}
export interface OptionsSpec<TValue extends string = string> extends BaseSpec<'options'> {
  options: readonly (OptionChoice & { value: TValue })[] | DynamicOptions;
  default?: TValue;
}
export interface MultiOptionsSpec<TValue extends string = string> extends BaseSpec<'multiOptions'> {
  options: readonly (OptionChoice & { value: TValue })[] | DynamicOptions;
  default?: TValue[];
}
export interface JsonSpec extends BaseSpec<'json'> {
  default?: JsonValue;
}
export interface CodeSpec extends BaseSpec<'code'> {
  language: 'javascript' | 'sql' | 'json' | 'html';
  default?: string;
}
export interface DateTimeSpec extends BaseSpec<'dateTime'> {
  default?: string;
}
export interface FileSpec extends BaseSpec<'file'> {
  accept?: string;
}
export interface CredentialSpec extends BaseSpec<'credential'> {
  /** Credential types this slot accepts. */
  credentialTypes: readonly string[];
}
/** A group of named sub-parameters, edited together. */
export interface CollectionSpec<TFields extends ParameterFields = ParameterFields> extends BaseSpec<'collection'> {
  fields: TFields;
  default?: JsonObject;
}
/** A list of rows, each row with the same sub-parameters (e.g. the fields of a Set node). */
export interface FixedCollectionSpec<TFields extends ParameterFields = ParameterFields> extends BaseSpec<'list'> {
  fields: TFields;
  default?: JsonObject[];
  minItems?: number;
  maxItems?: number;
}

/** Any parameter description. Every spec is plain JSON, so the canvas can render forms from it. */
export type ParameterSpec =
  | StringSpec
  | NumberSpec
  | BooleanSpec
  | OptionsSpec
  | MultiOptionsSpec
  | JsonSpec
  | CodeSpec
  | DateTimeSpec
  | FileSpec
  | CredentialSpec
  | CollectionSpec
  | FixedCollectionSpec;

/** Named parameters of a node type. */
export type ParameterFields = Record<string, ParameterSpec>;

type ValueOf<S> = S extends StringSpec | CodeSpec | DateTimeSpec | FileSpec | CredentialSpec
  ? string
  : S extends NumberSpec
    ? number
    : S extends BooleanSpec
      ? boolean
      : S extends OptionsSpec<infer V>
        ? V
        : S extends MultiOptionsSpec<infer V>
          ? V[]
          : S extends JsonSpec
            ? JsonValue
            : S extends CollectionSpec<infer F>
              ? Partial<ParameterValues<F>>
              : S extends FixedCollectionSpec<infer F>
                ? ParameterValues<F>[]
                : never;

type RequiredKeys<F extends ParameterFields> = {
  [K in keyof F]: F[K] extends { required: true } | { default: unknown } ? K : never;
}[keyof F];

/**
 * The resolved parameter values a node receives, inferred from its specs: required or defaulted
 * parameters are present, the rest optional.
 */
export type ParameterValues<F extends ParameterFields> = {
  [K in RequiredKeys<F>]: ValueOf<F[K]>;
} & {
  [K in Exclude<keyof F, RequiredKeys<F>>]?: ValueOf<F[K]>;
};

/**
 * Builders for parameter specs; each returns plain JSON with its literal type kept for inference.
 *
 * @example
 * ```ts
 * const fields = {
 *   url: param.string({ label: 'URL', required: true }),
 *   method: param.options({ label: 'Method', options: [{ value: 'GET', label: 'GET' }, { value: 'POST', label: 'POST' }], default: 'GET' }),
 * };
 * type Values = ParameterValues<typeof fields>; // { url: string; method: 'GET' | 'POST' }
 * ```
 */
export const param = {
  string: <const S extends Omit<StringSpec, 'kind'>>(s: S) => ({ kind: 'string', ...s }) as S & { kind: 'string' },
  number: <const S extends Omit<NumberSpec, 'kind'>>(s: S) => ({ kind: 'number', ...s }) as S & { kind: 'number' },
  boolean: <const S extends Omit<BooleanSpec, 'kind'>>(s: S) => ({ kind: 'boolean', ...s }) as S & { kind: 'boolean' },
  options: <const V extends string, const S extends Omit<OptionsSpec<V>, 'kind'>>(
    s: S & Omit<OptionsSpec<V>, 'kind'>,
  ) => ({ kind: 'options', ...s }) as S & { kind: 'options' } & OptionsSpec<V>,
  multiOptions: <const V extends string, const S extends Omit<MultiOptionsSpec<V>, 'kind'>>(
    s: S & Omit<MultiOptionsSpec<V>, 'kind'>,
  ) => ({ kind: 'multiOptions', ...s }) as S & { kind: 'multiOptions' } & MultiOptionsSpec<V>,
  json: <const S extends Omit<JsonSpec, 'kind'>>(s: S) => ({ kind: 'json', ...s }) as S & { kind: 'json' },
  code: <const S extends Omit<CodeSpec, 'kind'>>(s: S) => ({ kind: 'code', ...s }) as S & { kind: 'code' },
  dateTime: <const S extends Omit<DateTimeSpec, 'kind'>>(s: S) =>
    ({ kind: 'dateTime', ...s }) as S & { kind: 'dateTime' },
  file: <const S extends Omit<FileSpec, 'kind'>>(s: S) => ({ kind: 'file', ...s }) as S & { kind: 'file' },
  credential: <const S extends Omit<CredentialSpec, 'kind'>>(s: S) =>
    ({ kind: 'credential', ...s }) as S & { kind: 'credential' },
  collection: <const F extends ParameterFields, const S extends Omit<CollectionSpec<F>, 'kind'>>(
    s: S & { fields: F },
  ) => ({ kind: 'collection', ...s }) as S & { kind: 'collection' } & CollectionSpec<F>,
  list: <const F extends ParameterFields, const S extends Omit<FixedCollectionSpec<F>, 'kind'>>(s: S & { fields: F }) =>
    ({ kind: 'list', ...s }) as S & { kind: 'list' } & FixedCollectionSpec<F>,
};
