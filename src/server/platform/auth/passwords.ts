import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../http/problem';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** The e-mail name rule applies from this many characters of the local part on. */
const EMAIL_NAME_MIN_LENGTH = 4;

const COMMON_PASSWORDS = new Set([
  'password1234',
  'passwordpassword',
  '123456789012',
  'qwertyuiopas',
  'letmeinletmein',
  'opsdeckopsdeck',
  'administrator',
  'changemechangeme',
  'welcome12345',
]);

/** argon2id with the library defaults (19 MiB, 2 passes): OWASP's recommended baseline. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('opsdeck-timing-equaliser');
  return dummyHash;
}

/** Length rules and a small deny-list; returns problems for field `path`. */
export function checkPasswordRules(
  password: string,
  context: { email?: string; path?: string } = {},
): FieldError[] {
  const path = context.path ?? 'password';
  const errors: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    errors.push({ path, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    errors.push({ path, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || new Set(lower).size < 4) {
    errors.push({ path, message: 'is too easy to guess' });
  }
  // A short local part ("a", "bob") is letters any password may contain, not a name to avoid.
  const emailName = context.email?.toLowerCase().split('@')[0] ?? '';
  if (emailName.length >= EMAIL_NAME_MIN_LENGTH && lower.includes(emailName) && lower.length < 20) {
    errors.push({ path, message: 'must not contain your e-mail name' });
  }
  return errors;
}
