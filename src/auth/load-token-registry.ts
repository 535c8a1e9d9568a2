import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';
import { parseTokenEntries, TokenConfigError, type ConfiguredToken } from './token-config.js';
import { TokenRegistry } from './token-registry.js';

type TokenSettings = Pick<AppConfig, 'LESSONLOOP_API_TOKENS' | 'LESSONLOOP_API_TOKENS_FILE' | 'LESSONLOOP_REQUIRE_READ_TOKEN'>;

/** Builds the registry from the settings; a bad entry or an unreadable file stops the start with a clear message. */
export function loadTokenRegistry(settings: TokenSettings, readFile = (path: string) => readFileSync(path, 'utf8')): TokenRegistry {
  const tokens: ConfiguredToken[] = [];
  if (settings.LESSONLOOP_API_TOKENS) tokens.push(...parseTokenEntries(settings.LESSONLOOP_API_TOKENS, 'LESSONLOOP_API_TOKENS'));
  const file = settings.LESSONLOOP_API_TOKENS_FILE;
  if (file) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new TokenConfigError([`LESSONLOOP_API_TOKENS_FILE: cannot read ${file}: ${(error as Error).message}`]);
    }
    tokens.push(...parseTokenEntries(text, file));
  }
  const names = tokens.map((t) => t.name);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0) throw new TokenConfigError(duplicates.map((n) => `token name ${n} is configured twice`));
  return new TokenRegistry(tokens, settings.LESSONLOOP_REQUIRE_READ_TOKEN ?? false);
}
