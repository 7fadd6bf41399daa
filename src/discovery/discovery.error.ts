/** The discovery module's one error class; the API's exception filter maps its codes to HTTP. */

/** What went wrong, as a closed set of CamelCase codes. */
export type DiscoveryErrorCode =
  /** The scenarios root does not exist or is not a directory (configuration). */
  | 'ScenariosDirMissing'
  /** The scenarios root exists but cannot be listed (permissions, I/O). */
  | 'ScenariosDirUnreadable'
  /** A registration with a missing or malformed field (maps to 400). */
  | 'InvalidRegistration'
  /** A registration whose endpoint host is not in the allow-list (maps to 400/403). */
  | 'HostNotAllowed';

/** Typed discovery failure; never an HTTP exception, so services stay transport-free. */
export class DiscoveryError extends Error {
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}
