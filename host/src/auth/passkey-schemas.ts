import { Type } from '@sinclair/typebox';

const B64url = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' });
const Attachment = Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]));
const Extensions = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 20 });

/** The id of a ceremony's challenge, from an options route. */
export const ChallengeId = Type.String({ minLength: 36, maxLength: 36, pattern: '^[0-9a-f-]{36}$' });

/** The `RegistrationResponseJSON` a browser returns from `navigator.credentials.create()`. */
export const RegistrationResponseSchema = Type.Object({
  id: B64url(1400),
  rawId: B64url(1400),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64url(20_000),
    attestationObject: B64url(100_000),
    authenticatorData: Type.Optional(B64url(100_000)),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(B64url(20_000)),
  }),
  clientExtensionResults: Extensions,
  authenticatorAttachment: Attachment,
});

/** The `AuthenticationResponseJSON` a browser returns from `navigator.credentials.get()`. */
export const AuthenticationResponseSchema = Type.Object({
  id: B64url(1400),
  rawId: B64url(1400),
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64url(20_000),
    authenticatorData: B64url(100_000),
    signature: B64url(20_000),
    userHandle: Type.Optional(B64url(1000)),
  }),
  clientExtensionResults: Extensions,
  authenticatorAttachment: Attachment,
});

/** A challenge id from the options route and the browser's assertion. */
export const PasskeyAssertionSchema = Type.Object(
  { challengeId: ChallengeId, response: AuthenticationResponseSchema },
  { additionalProperties: false },
);

/** A passkey as the API lists it. */
export const PasskeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  deviceType: Type.String(),
  backedUp: Type.Boolean(),
  createdAt: Type.Integer(),
  lastUsedAt: Type.Union([Type.Integer(), Type.Null()]),
});
