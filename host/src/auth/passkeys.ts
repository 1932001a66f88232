import { randomUUID } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { HostDb } from '@weft/sql';
import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { PasskeySettings } from './passkey-settings.js';
import { PasskeyStore, type StoredPasskey } from './passkey-store.js';

/** Minutes a ceremony may take between options and response. */
const CHALLENGE_MS = 5 * 60_000;

const refused = (path: string, message: string) =>
  new ProblemError(400, 'passkey-invalid', `The passkey response was refused: ${message}`, {
    errors: [{ in: 'body', path, message }],
  });

/**
 * WebAuthn passkeys with @simplewebauthn/server: registration of discoverable credentials
 * (attestation `none`) and assertions for passwordless sign-in or as the second factor. Each
 * ceremony's challenge is stored and spent by its response, once, within five minutes; a signature
 * counter that goes backwards is refused (a cloned authenticator).
 *
 * @example
 * ```ts
 * const passkeys = new Passkeys({ rpId: 'weft.example.com', origins: ['https://weft.example.com'] }, 'Weft', runtime.h);
 * const { challengeId, options } = await passkeys.registrationOptions(user);
 * // navigator.credentials.create(options) in the browser, then:
 * await passkeys.register(user.id, challengeId, response, 'Laptop');
 * ```
 */
export class Passkeys {
  readonly store: PasskeyStore;

  constructor(
    readonly settings: PasskeySettings,
    readonly rpName: string,
    h: HostDb,
  ) {
    this.store = new PasskeyStore(h);
  }

  async registrationOptions(user: {
    id: string;
    email: string;
    name: string | null;
  }): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const existing = await this.store.list(user.id);
    const options = await generateRegistrationOptions({
      rpName: this.rpName,
      rpID: this.settings.rpId,
      userName: user.email,
      userDisplayName: user.name ?? user.email,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as never })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const challengeId = randomUUID();
    await this.store.saveChallenge(
      challengeId,
      { userId: user.id, purpose: 'register', challenge: options.challenge },
      CHALLENGE_MS,
    );
    return { challengeId, options };
  }

  async register(
    userId: string,
    challengeId: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<StoredPasskey> {
    const pending = await this.store.takeChallenge(challengeId, 'register');
    if (!pending || pending.userId !== userId) throw unknownChallenge();
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: pending.challenge,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        requireUserVerification: false,
      });
    } catch (e) {
      throw refused('/response', (e as Error).message);
    }
    if (!verified.verified) throw refused('/response', 'it could not be verified');
    const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
    if (await this.store.byId(credential.id))
      throw new ProblemError(409, 'passkey-exists', 'This passkey is already registered');
    return this.store.add({
      id: credential.id,
      userId,
      name,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    });
  }

  /** Options for an assertion with any of the site's discoverable passkeys. */
  async authenticationOptions(): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const options = await generateAuthenticationOptions({ rpID: this.settings.rpId, userVerification: 'preferred' });
    const challengeId = randomUUID();
    await this.store.saveChallenge(
      challengeId,
      { userId: null, purpose: 'authenticate', challenge: options.challenge },
      CHALLENGE_MS,
    );
    return { challengeId, options };
  }

  /**
   * Verifies an assertion; returns the passkey used. `userId` restricts it to that user's
   * passkeys (second factor); passwordless sign-in requires user verification (PIN, biometrics).
   */
  async authenticate(
    challengeId: string,
    response: AuthenticationResponseJSON,
    options: { userId?: string; requireUserVerification: boolean; path: string },
  ): Promise<StoredPasskey> {
    const pending = await this.store.takeChallenge(challengeId, 'authenticate');
    if (!pending) throw unknownChallenge(`${options.path}/challengeId`);
    const passkey = await this.store.byId(response.id);
    if (!passkey || (options.userId !== undefined && passkey.userId !== options.userId))
      throw new ProblemError(401, 'passkey-unknown', 'This passkey is not registered for the account');
    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: pending.challenge,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: passkey.transports as never,
        },
        requireUserVerification: options.requireUserVerification,
      });
    } catch (e) {
      throw refused(`${options.path}/response`, (e as Error).message);
    }
    if (!verified.verified) throw refused(`${options.path}/response`, 'the signature does not verify');
    await this.store.used(passkey.id, verified.authenticationInfo.newCounter);
    return passkey;
  }
}

function unknownChallenge(path = '/challengeId'): ProblemError {
  return new ProblemError(
    400,
    'passkey-challenge-unknown',
    'The passkey challenge is unknown, used or expired; start again',
    {
      errors: [{ in: 'body', path, message: 'Unknown, used or expired' }],
    },
  );
}

const instances = new WeakMap<HostRuntime, Passkeys>();

/**
 * The runtime's passkeys, built once from `config.passkeys` with the brand name as relying-party name.
 *
 * @example
 * ```ts
 * const mine = await passkeysOf(runtime).store.list(userId);
 * ```
 */
export function passkeysOf(rt: HostRuntime): Passkeys {
  let p = instances.get(rt);
  if (!p) {
    p = new Passkeys(rt.config.passkeys, rt.config.branding.name, rt.h);
    instances.set(rt, p);
  }
  return p;
}
