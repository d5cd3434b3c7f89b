import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MAX_ENTRIES = 1000;

/** Where history lives: $SHOAL_HISTORY_FILE, else ~/.shoal_history. */
export function historyPath(env: NodeJS.ProcessEnv): string {
  return env['SHOAL_HISTORY_FILE'] ?? path.join(os.homedir(), '.shoal_history');
}

/**
 * Loads history for readline (newest first). The file holds one entry per line, oldest first; a missing or
 * unreadable file is an empty history (history is a convenience, never a reason to fail).
 */
export function loadHistory(file: string): string[] {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-MAX_ENTRIES).reverse();
  } catch {
    return [];
  }
}

/** Appends one entry; rewrites the file trimmed to the last entries when it grows past twice the limit. */
export function appendHistory(file: string, entry: string): void {
  if (entry.trim() === '' || entry.includes('\n')) return;
  try {
    appendFileSync(file, `${entry}\n`, { mode: 0o600 });
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    if (lines.length > 2 * MAX_ENTRIES) writeFileSync(file, `${lines.slice(-MAX_ENTRIES).join('\n')}\n`);
  } catch {
    // Unwritable home directory: keep going without persistent history.
  }
}
