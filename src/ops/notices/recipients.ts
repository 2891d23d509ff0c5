const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * Whether a notice may go to this address: it must look like one address and end with
 * one of the routing file's forwardAllowlist entries. Addresses only ever come from the
 * configuration and the assignment table, never from a mail; this is the last check.
 */
export function allowedRecipient(
  address: string | null,
  allowlist: readonly string[],
): address is string {
  if (!address || !EMAIL.test(address)) return false;
  const lower = address.toLowerCase();
  return allowlist.some((suffix) => lower.endsWith(suffix.toLowerCase()));
}
