/** Any value that survives a JSON round trip. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: the `json` part of every item. */
export type JsonObject = { [key: string]: JsonValue };
