/**
 * Join tokens: JWTs an app server signs for one peer id in one room, so that the server never
 * needs a shared secret in the browser. HMAC (`HS256`) with a secret, or an asymmetric key
 * (`EdDSA` with Ed25519, `ES256` with P-256) so that only the app server can sign.
 * @module
 */

import { createPublicKey, type KeyObject } from 'node:crypto';
import { CLOSE_CODES } from '@peerstatejs/signaling/protocol';
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** The algorithms a token may be signed with. */
export type SignalingTokenAlgorithm = 'HS256' | 'EdDSA' | 'ES256';

/** How the server checks join tokens. At least one of `secret` and `publicKey`. */
export interface TokenVerification {
  /** The HMAC secret (`HS256`), at least 32 bytes. */
  readonly secret?: string | Uint8Array;
  /** The public key of an Ed25519 (`EdDSA`) or P-256 (`ES256`) pair: SPKI PEM or a `KeyObject`. */
  readonly publicKey?: string | KeyObject;
  /** When set, a token's `iss` must equal it. */
  readonly issuer?: string;
  /** When set, a token's `aud` must include it. */
  readonly audience?: string;
  /** Seconds of clock skew allowed on `exp`/`nbf`. @defaultValue 5 */
  readonly clockTolerance?: number;
}

/** What a join token says. */
export interface SignalingTokenClaims {
  readonly room: string;
  readonly peer: string;
  /** Seconds from now until it expires. @defaultValue 600 */
  readonly expiresIn?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/** The signing key of {@link createSignalingToken}. */
export type SignalingTokenKey =
  | { readonly secret: string | Uint8Array }
  | {
      /** PKCS#8 PEM or a `KeyObject`. */
      readonly privateKey: string | KeyObject;
      readonly algorithm: 'EdDSA' | 'ES256';
    };

/**
 * Signs a join token for `peer` in `room`, for an app server to hand to its client (which passes
 * it as `createWebSocketSignaling({ token })`).
 *
 * @example
 * ```ts
 * const token = await createSignalingToken({ room: 'demo', peer: userId }, { secret });
 * ```
 */
export async function createSignalingToken(
  claims: SignalingTokenClaims,
  key: SignalingTokenKey,
): Promise<string> {
  const algorithm = 'secret' in key ? 'HS256' : key.algorithm;
  let jwt = new SignJWT({ room: claims.room })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(claims.peer)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresIn ?? 600));
  if (claims.issuer !== undefined) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience !== undefined) jwt = jwt.setAudience(claims.audience);
  if ('secret' in key) return jwt.sign(secretBytes(key.secret));
  const { createPrivateKey } = await import('node:crypto');
  const privateKey =
    typeof key.privateKey === 'string' ? createPrivateKey(key.privateKey) : key.privateKey;
  return jwt.sign(privateKey);
}

/** Why a token was refused: the close code and reason the connection gets. */
export interface TokenRefusal {
  readonly code: number;
  readonly reason: string;
}

/** `null`: accepted. A refusal otherwise. `expiredOk` accepts a well-signed expired token. */
export type TokenVerifier = (
  token: string | undefined,
  expected: { readonly room: string; readonly peer: string },
  expiredOk: boolean,
) => Promise<TokenRefusal | null>;

/** The verifier for `options`, or `null` when none is configured (open: dev only). */
export function createTokenVerifier(
  options: TokenVerification | undefined,
  now: () => number = Date.now,
): TokenVerifier | null {
  if (options?.secret === undefined && options?.publicKey === undefined) return null;
  const secret = options.secret === undefined ? undefined : secretBytes(options.secret);
  if (secret !== undefined && secret.length < 32)
    throw new TypeError('the token secret must be at least 32 bytes');
  const publicKey =
    typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  const algorithms: SignalingTokenAlgorithm[] = [];
  if (secret) algorithms.push('HS256');
  if (publicKey) algorithms.push(asymmetricAlgorithm(publicKey));
  const invalid = (reason: string): TokenRefusal => ({
    code: CLOSE_CODES.TOKEN_INVALID,
    reason: `token invalid: ${reason}`,
  });
  const check = (payload: JWTPayload, expected: { room: string; peer: string }) => {
    if (payload.room !== expected.room) return invalid('another room');
    if (payload.sub !== expected.peer) return invalid('another peer id');
    return null;
  };

  return async (token, expected, expiredOk) => {
    if (token === undefined || token === '') return invalid('none given');
    try {
      const { payload } = await jwtVerify(
        token,
        (header) =>
          header.alg === 'HS256' ? (secret ?? new Uint8Array()) : (publicKey as KeyObject),
        {
          algorithms,
          clockTolerance: options.clockTolerance ?? 5,
          currentDate: new Date(now()),
          requiredClaims: ['exp', 'sub'],
          ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
          ...(options.audience === undefined ? {} : { audience: options.audience }),
        },
      );
      return check(payload, expected);
    } catch (error) {
      // jose checks the signature before the claims: an expired token's payload is authentic.
      if (error instanceof errors.JWTExpired) {
        if (expiredOk) return check(error.payload, expected);
        return { code: CLOSE_CODES.TOKEN_EXPIRED, reason: 'token expired' };
      }
      if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('bad signature');
      if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm not allowed');
      if (error instanceof errors.JWTClaimValidationFailed) return invalid(`claim ${error.claim}`);
      return invalid('malformed');
    }
  };
}

function secretBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
}

function asymmetricAlgorithm(key: KeyObject): SignalingTokenAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new TypeError(
    `the token public key must be Ed25519 (EdDSA) or P-256 (ES256), got ${key.asymmetricKeyType}`,
  );
}
