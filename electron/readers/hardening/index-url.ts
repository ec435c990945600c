/**
 * A package index URL as the hardening posture shows it: public PyPI or not, with any password or
 * token in it masked and fingerprinted the way the secret search fingerprints it. Pure.
 */
import type { PackageIndexSetting } from '../../../shared/model/index.js';
import { fingerprintSecret } from '../secrets/fingerprint.js';
import { classifySecret } from '../secrets/secret-patterns.js';

/** Hosts of public PyPI: the index itself, its legacy name and the file host its pages link to. */
const PUBLIC_PYPI_HOSTS = new Set(['pypi.org', 'www.pypi.org', 'pypi.python.org', 'upload.pypi.org', 'files.pythonhosted.org']);

/** Public PyPI's simple index: what pip and uv use when nothing names another. */
export const PUBLIC_PYPI_URL = 'https://pypi.org/simple';

/** True when the URL's host is public PyPI (an unparsable value counts as not public: it names no host we know). */
export function isPublicPypi(url: string): boolean {
  const host = hostOf(url);
  return host !== null && PUBLIC_PYPI_HOSTS.has(host);
}

/** One index setting: the URL masked, whether it is public PyPI, and the fingerprint of a credential in it. */
export function indexSetting(url: string, role: PackageIndexSetting['role'], source: string): PackageIndexSetting {
  const value = url.trim();
  const setting: PackageIndexSetting = { url: maskUrlCredentials(value), role, public: isPublicPypi(value), source };
  const credential = credentialOf(value);
  if (credential) setting.credential = credential;
  return setting;
}

/** The default index when nothing is configured: public PyPI. */
export function defaultIndex(): PackageIndexSetting {
  return { url: PUBLIC_PYPI_URL, role: 'primary', public: true, source: 'default (nothing configured)' };
}

/** `scheme://user:***@host/…`: the password (or a lone token as user) replaced, everything else kept. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*)(:[^\s/@]*)?@/gi, (_all, scheme: string, user: string, password: string | undefined) =>
    password !== undefined ? `${scheme}${user}:***@` : `${scheme}***@`,
  );
}

/** The fingerprint the secret search gives the password in a URL's userinfo, or null when it holds none. */
function credentialOf(url: string): string | null {
  const found = classifySecret(url);
  if (found) return fingerprintSecret(found.provider, found.secret);
  // A token alone as the user part (`https://TOKEN@host/`), as some private indexes take it.
  const token = /^[a-z][a-z0-9+.-]*:\/\/([^\s/@:]{8,})@/i.exec(url)?.[1];
  return token ? fingerprintSecret('unknown', token) : null;
}

function hostOf(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?(\[[^\]]+\]|[^\s/:?#]+)/i.exec(url.trim());
  return match ? match[1]!.toLowerCase().replace(/\.$/, '') : null;
}
