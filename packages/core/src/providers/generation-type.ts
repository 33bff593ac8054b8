export const generationTypes = ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'] as const;
export type GenerationType = (typeof generationTypes)[number];

export const priorities = ['QUALITY', 'SPEED', 'COST', 'BALANCED'] as const;
export type Priority = (typeof priorities)[number];

/** Plain JSON, so a provider's job handle survives any store and any process restart. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
