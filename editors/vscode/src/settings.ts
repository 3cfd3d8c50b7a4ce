// The `specmark` settings section as the server receives it (workspace/configuration and
// workspace/didChangeConfiguration): everything but the keys only this client reads.
import { isObject } from './util';

/** `specmark.*` settings that only the VS Code client uses: not sent to the server, which reads
 * the rest (the keys of .specmark.toml: severity, require-references, ...). */
const CLIENT_ONLY_KEYS = ['server', 'files', 'trace', 'statusBar'];

/** The `specmark` settings section as the server sees it: a JSON copy without CLIENT_ONLY_KEYS. */
export function serverSettings(section: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (isObject(section)) {
    for (const [key, value] of Object.entries(section)) {
      if (!CLIENT_ONLY_KEYS.includes(key) && value !== undefined) {
        result[key] = JSON.parse(JSON.stringify(value)) as unknown;
      }
    }
  }
  return result;
}
