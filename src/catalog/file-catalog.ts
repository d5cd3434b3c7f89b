import { link, mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ShoalError } from '../common/index.js';
import { AllowedRoots, isWritable, type ExpandOptions, type FileSystems, type IoOptions } from '../fs/index.js';
import type { Catalog, TableEntry, TableListing } from './catalog.js';
import { parseTableFile, type CatalogSettings, type TableFileContent } from './catalog-file.js';
import { FileTable, type FileTableEnv } from './file-table.js';

/**
 * A catalog kept as plain files: `<dir>/<catalog>/<schema>/<table>.json`, one table or view per file.
 * Names are case-insensitive: a table file's name is matched in lower case. Table files are re-read when they
 * change; the schema inferred from data files is cached until the table file changes.
 */
export class FileCatalog implements Catalog {
  readonly comment: string | undefined;
  private readonly tables = new Map<string, { stamp: string; entry: Promise<TableEntry> }>();
  private roots: Promise<AllowedRoots> | undefined;

  constructor(
    readonly name: string,
    /** `<dir>/<catalog>`; may not exist (a catalog with only settings has no schemas). */
    private readonly root: string,
    /** Relative locations resolve against this folder (the one holding the catalog directory). */
    private readonly baseDir: string,
    readonly settings: CatalogSettings,
    private readonly env: FileTableEnv,
  ) {
    this.comment = settings.comment;
  }

  /** Its allowed_roots, else its base folder and warehouse: what a server lets queries name by default. */
  get ownRoots(): readonly string[] {
    return this.settings.allowedRoots ?? [this.baseDir, this.warehouse];
  }

  /** PERMISSION_DENIED unless `location` is under the catalog's allowed_roots (no-op when it declares none). */
  async checkLocation(location: string, action: 'read' | 'write'): Promise<void> {
    const declared = this.settings.allowedRoots;
    if (declared === undefined) return;
    this.roots ??= AllowedRoots.of(declared, this.baseDir);
    await (await this.roots).check(location, action, `catalog '${this.name}'`);
  }

  async listSchemas(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name.toLowerCase()).sort();
  }

  async schemaExists(schema: string): Promise<boolean> {
    return (await this.listSchemas()).includes(schema.toLowerCase());
  }

  /** A schema is a folder `<catalog>/<schema>/`; names are stored lower-case. */
  async createSchema(schema: string): Promise<boolean> {
    if ((await this.schemaDir(schema)) !== undefined) return false;
    const name = schema.toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw new ShoalError('SYNTAX_ERROR', `Schema name '${schema}' is not a plain name (letters, digits, _)`, { hint: 'Schemas are folders of the catalog directory' });
    }
    await mkdir(path.join(this.root, name), { recursive: true });
    return true;
  }

  /** Removes the schema's folder; the caller checked it holds no tables or views (other files stay: rmdir fails). */
  async dropSchema(schema: string): Promise<boolean> {
    const dir = await this.schemaDir(schema);
    if (dir === undefined) return false;
    try {
      await rmdir(dir);
    } catch (e) {
      throw new ShoalError('SCHEMA_NOT_EMPTY', `Cannot drop schema '${this.name}.${schema.toLowerCase()}': its folder ${dir} holds other files`, { location: dir, cause: e, hint: 'Remove them first' });
    }
    return true;
  }

  private async schemaDir(schema: string): Promise<string | undefined> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    const hit = entries.find((e) => e.isDirectory() && e.name.toLowerCase() === schema.toLowerCase());
    return hit === undefined ? undefined : path.join(this.root, hit.name);
  }

  private async tableFiles(schema: string): Promise<{ name: string; file: string }[]> {
    const dir = await this.schemaDir(schema);
    if (dir === undefined) return [];
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))
      .map((e) => ({ name: e.name.slice(0, -5).toLowerCase(), file: path.join(dir, e.name) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async listTables(schema: string): Promise<TableListing[]> {
    const out: TableListing[] = [];
    for (const t of await this.tableFiles(schema)) {
      const content = parseTableFile(await readFile(t.file, 'utf8'), t.file, `${this.name}.${schema}.${t.name}`, this.baseDir);
      out.push({ name: t.name, kind: content.kind, comment: content.kind === 'table' ? content.spec.comment : content.comment });
    }
    return out;
  }

  async getTable(schema: string, table: string, o?: ExpandOptions): Promise<TableEntry | undefined> {
    const t = (await this.tableFiles(schema)).find((x) => x.name === table.toLowerCase());
    if (t === undefined) return undefined;
    let s;
    try {
      s = await stat(t.file);
    } catch {
      return undefined;
    }
    const stamp = `${s.mtimeMs}:${s.size}`;
    const cached = this.tables.get(t.file);
    if (cached !== undefined && cached.stamp === stamp) return cached.entry;
    const entry = (async (): Promise<TableEntry> => {
      const text = await readFile(t.file, 'utf8');
      const qualified = `${this.name}.${schema.toLowerCase()}.${t.name}`;
      const content = parseTableFile(text, t.file, qualified, this.baseDir);
      if (content.kind === 'view') return { kind: 'view', sql: content.sql, comment: content.comment, origin: t.file };
      await this.checkLocation(content.spec.location, 'read');
      try {
        return { kind: 'table', provider: await FileTable.create(content.spec, this.env, o) };
      } catch (e) {
        if (e instanceof ShoalError && e.hint === undefined) {
          throw new ShoalError(e.code, `${e.message} (table ${qualified}, defined in ${t.file})`, { location: e.location, cause: e });
        }
        throw e;
      }
    })();
    this.tables.set(t.file, { stamp, entry });
    entry.catch(() => this.tables.delete(t.file));
    return entry;
  }

  /**
   * Writes `<schema>/<view>.json` as `{ "view": sql }`: to a temporary file first, then renamed, so a reader
   * never sees half a file. The schema folder must exist (as in Trino, CREATE VIEW does not create schemas).
   */
  async createView(schema: string, table: string, sql: string, orReplace: boolean): Promise<void> {
    const dir = await this.schemaDir(schema);
    if (dir === undefined) throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${this.name}.${schema}' does not exist`, { hint: `Create the folder ${path.join(this.root, schema)}` });
    const existing = (await this.tableFiles(schema)).find((x) => x.name === table.toLowerCase());
    const qualified = `${this.name}.${schema.toLowerCase()}.${table.toLowerCase()}`;
    if (existing !== undefined) {
      const kind = parseTableFile(await readFile(existing.file, 'utf8'), existing.file, qualified, this.baseDir).kind;
      if (kind === 'table') throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${qualified}' already exists (defined in ${existing.file})`, { hint: 'A view cannot replace a table' });
      if (!orReplace) throw new ShoalError('TABLE_ALREADY_EXISTS', `View '${qualified}' already exists`, { hint: 'Use CREATE OR REPLACE VIEW' });
    }
    const file = existing?.file ?? path.join(dir, `${table.toLowerCase()}.json`);
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(tmp, `${JSON.stringify({ view: sql.trim() }, null, 2)}\n`, 'utf8');
    await rename(tmp, file);
    this.tables.delete(file);
  }

  /** Deletes the view's file; false when there is no such view. */
  async dropView(schema: string, table: string): Promise<boolean> {
    const existing = (await this.tableFiles(schema)).find((x) => x.name === table.toLowerCase());
    if (existing === undefined) return false;
    const entry = await this.getTable(schema, table);
    if (entry?.kind !== 'view') return false;
    await rm(existing.file);
    this.tables.delete(existing.file);
    return true;
  }

  /**
   * Where managed tables live: the catalog's `warehouse` setting, else `warehouse/<catalog>` in the folder that
   * holds the catalog directory. A managed table's files are `<warehouse>/<schema>/<table>/…`.
   */
  get warehouse(): string {
    return this.settings.warehouse ?? path.join(this.baseDir, 'warehouse', this.name);
  }

  /** The folder relative table locations resolve against (the one holding the catalog directory). */
  get baseDirectory(): string {
    return this.baseDir;
  }

  /** The catalog's own directory (table files live there; data never does). */
  get directory(): string {
    return this.root;
  }

  managedLocation(schema: string, table: string): string {
    return `${this.warehouse.replace(/\/+$/, '')}/${schema.toLowerCase()}/${table.toLowerCase()}`;
  }

  /** Whether `location` is the warehouse or inside it. */
  inWarehouse(location: string): boolean {
    const wh = this.warehouse.replace(/\/+$/, '');
    return location === wh || location.startsWith(`${wh}/`);
  }

  /** The path a new table's file gets; SCHEMA_NOT_FOUND when the schema folder does not exist. */
  async newTableFile(schema: string, table: string): Promise<string> {
    // The name becomes a file name (and a managed table's directory): nothing that walks the tree.
    if (/[/\\\0]/.test(table) || table === '.' || table === '..' || table.startsWith('.')) {
      throw new ShoalError('NOT_SUPPORTED', `Table name '${table}' cannot be used in file catalog '${this.name}': it would not be a plain file name`, { hint: 'Use letters, digits and underscores' });
    }
    const dir = await this.schemaDir(schema);
    if (dir === undefined) {
      throw new ShoalError('SCHEMA_NOT_FOUND', `Schema '${this.name}.${schema.toLowerCase()}' does not exist`, { hint: `Create the folder ${path.join(this.root, schema.toLowerCase())}` });
    }
    return path.join(dir, `${table.toLowerCase()}.json`);
  }

  /** The file and parsed content of an existing table or view, undefined when there is none. */
  async tableFile(schema: string, table: string): Promise<{ file: string; content: TableFileContent } | undefined> {
    const t = (await this.tableFiles(schema)).find((x) => x.name === table.toLowerCase());
    if (t === undefined) return undefined;
    let text: string;
    try {
      text = await readFile(t.file, 'utf8');
    } catch {
      return undefined;
    }
    return { file: t.file, content: parseTableFile(text, t.file, `${this.name}.${schema.toLowerCase()}.${t.name}`, this.baseDir) };
  }

  /**
   * Creates a table file with `text`, all at once and only if none exists: written to a temporary file, then
   * hard-linked to its name (which fails when the name exists), so a reader never sees half a file and two
   * statements creating the same table cannot both succeed. TABLE_ALREADY_EXISTS when one was there.
   */
  async writeTableFile(file: string, text: string, qualified: string): Promise<void> {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(tmp, text, 'utf8');
    try {
      await link(tmp, file);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${qualified}' already exists`);
      throw e;
    } finally {
      await unlink(tmp).catch(() => {});
    }
    this.tables.delete(file);
  }

  /**
   * DROP TABLE. The table file is deleted first (the table disappears at once); then, for a managed table (created
   * by Shoal without external_location: `"managed": true` and its location exactly `<warehouse>/<schema>/<table>`),
   * every file under its location. External tables keep their files, and so does a table file edited to claim
   * "managed" for another location. False when there is no such table.
   */
  /** The file systems this catalog's tables read and write through (configured by its storage settings). */
  get fileSystems(): FileSystems {
    return this.env.fs;
  }

  async dropTable(schema: string, table: string): Promise<boolean> {
    const t = await this.tableFile(schema, table);
    if (t === undefined || t.content.kind !== 'table') return false;
    const location = t.content.spec.location;
    await rm(t.file);
    this.tables.delete(t.file);
    if (t.content.managed && location === this.managedLocation(schema, table)) {
      const fs = this.env.fs.for(location);
      if (isWritable(fs)) await fs.deletePrefix(location);
      this.env.fs.listings.invalidate(fs, location);
    }
    return true;
  }
}
