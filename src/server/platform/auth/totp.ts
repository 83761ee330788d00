import { verify } from 'otplib';

/** One step of clock drift either way, as authenticator apps expect. */
const EPOCH_TOLERANCE_SECONDS = 30;

/**
 * Checks a 6-digit TOTP code. Returns the RFC 6238 time step it matched, or null. Codes at or
 * before `afterTimeStep` (the last accepted one) are refused, so each code works once.
 */
export async function verifyTotpCode(
  secret: string,
  code: string,
  afterTimeStep: number | null,
): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epochTolerance: EPOCH_TOLERANCE_SECONDS,
    ...(afterTimeStep !== null ? { afterTimeStep } : {}),
  });
  // otplib's shared result type also covers HOTP, whose results have no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
