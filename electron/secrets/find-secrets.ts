/** Finds secrets in a host's artifacts and keeps only their fingerprints. */
import type { AuthorizedKey, SecretSighting } from '../../shared/model.js';
import type { HostArtifacts } from '../collectors/artifacts.js';

/** What the secret reader found on one host. */
export interface FoundSecrets {
  secrets: SecretSighting[];
  authorizedKeys: AuthorizedKey[];
}

/** Reads every artifact for secrets; values are fingerprinted here and dropped. */
export function findSecrets(artifacts: HostArtifacts): FoundSecrets {
  void artifacts;
  throw new Error('findSecrets: not implemented yet');
}
