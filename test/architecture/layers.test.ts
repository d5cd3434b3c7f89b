import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * DESIGN.md §2: each folder of src/ imports only the folders listed for it, and only through their index.ts.
 * node-sql-parser is imported only by src/sql.
 */
const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  types: ['common'],
  sql: ['common'],
  fs: ['common'],
  formats: ['common', 'types', 'fs'],
  functions: ['common', 'types'],
  expr: ['common', 'types', 'functions'],
  pruning: ['common', 'types', 'expr'],
  catalog: ['common', 'types', 'fs', 'formats', 'expr', 'pruning'],
  plan: ['common', 'types', 'expr', 'catalog'],
  planner: ['sql', 'plan', 'expr', 'catalog', 'functions', 'types', 'common'],
  optimizer: ['plan', 'expr', 'catalog', 'pruning', 'types', 'common'],
  physical: ['common', 'types', 'fs', 'formats', 'functions', 'expr', 'pruning', 'catalog', 'plan', 'optimizer'],
  engine: ['common', 'types', 'sql', 'fs', 'formats', 'functions', 'expr', 'pruning', 'catalog', 'plan', 'planner', 'optimizer', 'physical'],
  cli: ['engine', 'common', 'server'],
  server: ['engine', 'common', 'types'],
};

const SRC = path.resolve(import.meta.dirname, '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

interface Import {
  readonly file: string;
  readonly spec: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) out.push({ file, spec: m[1]! });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ file, spec: m[1]! });
  return out;
}

const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!;
const files = tsFiles(SRC).filter((f) => path.relative(SRC, f).includes(path.sep));

describe('layer matrix', () => {
  test('every src folder is a known layer', () => {
    const layers = new Set(files.map(layerOf));
    for (const l of layers) expect(Object.keys(ALLOWED), `unknown layer src/${l}`).toContain(l);
  });

  test('imports only go to allowed layers, through their index.ts', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const { spec } of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        const rel = path.relative(SRC, target);
        if (rel.startsWith('..')) continue;
        const to = rel.split(path.sep)[0]!;
        if (to === from || !rel.includes(path.sep)) continue;
        const where = `${path.relative(SRC, file)} imports ${spec}`;
        if (!ALLOWED[from]!.includes(to)) violations.push(`${where}: ${from} may not import ${to}`);
        const inner = rel.split(path.sep).slice(1).join('/');
        // formats/ has one entry per format family plus its own index.
        if (!(inner === 'index.js' || (to === 'formats' && /^(csv|parquet)\/index\.js$/.test(inner)))) {
          violations.push(`${where}: import ${to} through its index.ts`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  test('node-sql-parser is imported only by src/sql', () => {
    const users = files.filter((f) => importsOf(f).some((i) => i.spec.startsWith('node-sql-parser'))).map((f) => path.relative(SRC, f));
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) expect(u.startsWith(`sql${path.sep}`), u).toBe(true);
  });

  test('no `any` in src', () => {
    const offenders = files.filter((f) => /(:\s*any\b|as any\b|<any>)/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
