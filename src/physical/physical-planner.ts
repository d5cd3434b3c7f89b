import { assertNever, internalError } from '../common/index.js';
import { and, canFail, compileExpr, conjuncts, exprKey, referencedIds, transformUp, type Expr } from '../expr/index.js';
import type { EvalContext } from '../functions/index.js';
import { typeName, type SqlType } from '../types/index.js';
import { inputsOf, outputOf, type AggregateNode, type LogicalPlan, type ScanNode } from '../plan/index.js';
import { estimateRows, filterOverScanRows, splitRows } from './estimate-rows.js';
import { layoutOf, type ExecutionPlan } from './execution-plan.js';
import { FilterExec } from './filter-exec.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';
import { HashJoinExec, NestedLoopJoinExec } from './hash-join-exec.js';
import { LimitExec } from './limit-exec.js';
import { OuterBuildMarkJoinExec } from './outer-build-mark-join-exec.js';
import { buildsLeft } from './join-build-side.js';
import { ProjectExec } from './project-exec.js';
import { ScanExec, type ScanIoSettings } from './scan-exec.js';
import { newIoStats, type ListingScope } from '../fs/index.js';
import { SortExec } from './sort-exec.js';
import { UnionExec } from './union-exec.js';
import { UnnestExec } from './unnest-exec.js';
import { ValuesExec } from './values-exec.js';
import { WindowExec } from './window-exec.js';
import type { ScanSummary, Split } from '../catalog/index.js';
import type { FragmentLauncher, FragmentMode } from './fragment.js';
import { RuntimeFilterExec, RuntimeKeyFilter } from './runtime-key-filter.js';
import { ProbeFilterExec, ProbeKeyFilter, type ScanProbeFilter } from './probe-key-filter.js';
import { integerKeyWidth } from './hashing/index.js';
import { SharedResult, SharedSubplanExec } from './shared-subplan-exec.js';
import { repeatedAggregates } from './subplan-key.js';
import { chooseFragments, planFragment, planPartialAggregate, type FragmentChoice } from './parallel-planning.js';

export interface PhysicalPlannerEnv {
  readonly evalCtx: EvalContext;
  readonly signal?: AbortSignal | undefined;
  /** How scans do their I/O (session properties). */
  readonly scanIo?: ScanIoSettings | undefined;
  /** The query's listings: every scan of a location sees the same files. */
  readonly listing?: ListingScope | undefined;
  /** Runs fragments on worker threads (task_concurrency > 1); absent: everything runs on this thread. */
  readonly parallel?: FragmentLauncher | undefined;
  /** Inside a worker: the fragment's driving scan reads this share of its splits instead of planning its own. */
  readonly share?: ScanShare | undefined;
}

/** A worker's share of a fragment's driving scan. */
export interface ScanShare {
  readonly scan: ScanNode;
  readonly splits: readonly Split[];
  /** Rows of all the scan's splits: estimates (and so join sides) are those the main thread planned with. */
  readonly totalRows: number;
  /** The main thread's estimate of the Filter right above the scan, if any (FragmentRequest.filterRows). */
  readonly filterRows?: number | undefined;
}

/** Identical subplans estimated past this many rows are computed once per copy rather than held in memory. */
const SHARED_MAX_ROWS = 1_000_000;

/** Estimated rows per logical node planned so far (see estimate-rows.ts). */
type Estimates = Map<LogicalPlan, number>;

/** What one planning pass keeps: estimates, the scans planned (reused by a second pass), the fragments chosen. */
export interface PlanState {
  readonly env: PhysicalPlannerEnv;
  readonly estimates: Estimates;
  /** Scans planned so far; a second pass over the same plan reuses their splits (no second listing or footer read). */
  readonly scans: Map<ScanNode, ScanExec>;
  /** Where fragments go to workers (chosen after a first pass, see parallel-planning.ts). */
  readonly fragments: ReadonlyMap<LogicalPlan, FragmentChoice> | undefined;
  /** A join's runtime filter waiting for the aggregation it filters the input of (runtimeFilterFor). */
  readonly runtimeFilter?: PendingRuntimeFilter | undefined;
  /**
   * Aggregations that got a runtime filter in this pass: they stay on this thread (a partial aggregation on the
   * workers would aggregate every row the filter drops: TPC-H q17, q20).
   */
  readonly filteredAggregates?: Set<LogicalPlan> | undefined;
  /** Joins above whose build keys may filter the scans below (see probeFiltersBelow). */
  readonly probeFilters?: readonly PendingProbeFilter[] | undefined;
  /**
   * A mark join whose mark is a conjunct of the Filter right above it (`WHERE x IN (…)`, `WHERE EXISTS (…)`): the
   * rows whose mark is not true go, so its probe filter may drop its left rows no build row matches (see 'join').
   */
  readonly filteredMark?: LogicalPlan | undefined;
  /** The probe key filters of the joins planned so far under the topmost join (see transitiveFilters). */
  readonly joinFilters?: Map<LogicalPlan, ProbeKeyFilter> | undefined;
  /**
   * Scans that got probe filters in this pass, with the joins that offered them: a fragment cut below such a join
   * would scan without its filter (see chooseFragments).
   */
  readonly probeFilteredScans?: Map<ScanNode, ScanProbeFilter[]> | undefined;
  /** Identical subplans computed once (subplan-key.ts): their keys, and the results planned so far in this pass. */
  readonly shared?: {
    readonly keys: ReadonlyMap<LogicalPlan, string>;
    readonly results: Map<string, { readonly plan: LogicalPlan; readonly result: SharedResult } | 'unshared'>;
  } | undefined;
}

/**
 * Turns an optimized logical plan into operators. Scans are planned here (listing, footers, pruning), so the
 * result knows which files and row groups it will read before any row is read. With workers (env.parallel),
 * a first pass plans everything on this thread for the estimates, fragments are chosen from them, and a second
 * pass (reusing the planned scans) cuts them out.
 */
export async function createPhysicalPlan(plan: LogicalPlan, env: PhysicalPlannerEnv): Promise<ExecutionPlan> {
  const keys = repeatedAggregates(plan);
  const shared = (): PlanState['shared'] => (keys.size === 0 ? undefined : { keys, results: new Map() });
  const filteredAggregates = new Set<LogicalPlan>();
  const probeFilteredScans = new Map<ScanNode, ScanProbeFilter[]>();
  const first: PlanState = {
    env: { ...env, parallel: undefined }, estimates: new Map(), scans: new Map(), fragments: undefined, shared: shared(), filteredAggregates,
    probeFilteredScans,
  };
  const serial = await planNode(plan, first, []);
  if (env.parallel === undefined) return serial;
  const fragments = chooseFragments(plan, first.estimates, first.scans, env.parallel, filteredAggregates, probeFilteredScans);
  if (fragments.size === 0) return serial;
  return planNode(plan, { env, estimates: new Map(), scans: first.scans, fragments, shared: shared() }, []);
}

/**
 * Inside a worker: the operators of the fragment at `path` of the same optimized plan the main thread planned
 * (see fragment.ts), its driving scan (at `scanPath` below the fragment) reading `splits`. 'partial' mode tops
 * the aggregate's input with the partial step. `local` is the part the main thread's Gather shows (the fragment
 * without the partial step).
 */
export async function createFragmentPlan(
  root: LogicalPlan, at: { readonly path: readonly number[]; readonly scanPath: readonly number[]; readonly mode: FragmentMode },
  share: { readonly splits: readonly Split[]; readonly totalRows: number; readonly filterRows?: number | undefined }, env: PhysicalPlannerEnv,
): Promise<{ readonly exec: ExecutionPlan; readonly local: ExecutionPlan }> {
  const node = nodeAt(root, at.path);
  const scan = nodeAt(node, at.scanPath);
  if (scan.kind !== 'scan') throw internalError('a parallel fragment path does not lead to a scan');
  const st: PlanState = { env: { ...env, parallel: undefined, share: { scan, ...share } }, estimates: new Map(), scans: new Map(), fragments: undefined };
  if (at.mode === 'rows') {
    const local = await planNode(node, st, at.path);
    return { exec: local, local };
  }
  if (node.kind !== 'aggregate') throw internalError('a partial-aggregation fragment without its aggregation');
  const local = await planNode(node.input, st, [...at.path, 0]);
  return { exec: planPartialAggregate(node, local, env.evalCtx), local };
}

function nodeAt(root: LogicalPlan, path: readonly number[]): LogicalPlan {
  let node = root;
  for (const i of path) {
    const next = inputsOf(node)[i];
    if (next === undefined) throw internalError('a parallel fragment path does not match the plan');
    node = next;
  }
  return node;
}

/**
 * `keep`, for a filter node: the ids of its output columns its parent reads (a projection above it); the filter
 * then copies only those columns of the rows it keeps.
 */
async function planNode(plan: LogicalPlan, st: PlanState, path: readonly number[], keep?: ReadonlySet<number>): Promise<ExecutionPlan> {
  const key = st.shared?.keys.get(plan);
  if (key !== undefined) {
    const results = st.shared!.results;
    const earlier = results.get(key);
    if (earlier === 'unshared') return planNode(plan, { ...st, shared: undefined, probeFilters: undefined }, path, keep);
    if (earlier !== undefined) {
      st.estimates.set(plan, st.estimates.get(earlier.plan) ?? 1);
      return new SharedSubplanExec(outputOf(plan), earlier.result, false);
    }
    // Its readers are not all under the same joins: no probe filters inside.
    const source = await planNode(plan, { ...st, shared: undefined, probeFilters: undefined }, path, keep);
    // The result is held in memory while its readers run: too big an estimate streams each copy instead.
    if ((st.estimates.get(plan) ?? 1) > SHARED_MAX_ROWS) {
      results.set(key, 'unshared');
      return source;
    }
    const result = new SharedResult(source, results.size + 1);
    results.set(key, { plan, result });
    return new SharedSubplanExec(outputOf(plan), result, true);
  }
  const fragment = st.fragments?.get(plan);
  const exec = fragment !== undefined
    ? await planFragment(plan, fragment, path, st.env.parallel!, { ...st, fragments: undefined, probeFilters: undefined }, planNode, aggregateExec)
    : await build(plan, st, path, keep);
  const inputs = inputsOf(plan).map((p) => st.estimates.get(p) ?? 1);
  const share = st.env.share;
  const scanRows = !(exec instanceof ScanExec) ? 0 : share !== undefined && share.scan === plan ? share.totalRows : splitRows(exec.scanPlan.splits);
  const overScan = plan.kind === 'filter' && plan.input.kind === 'scan' ? st.scans.get(plan.input) : undefined;
  // A worker reads a share of the driving scan's splits: it takes the main thread's estimate of its filter.
  const filtered = plan.kind !== 'filter' || plan.input.kind !== 'scan' || overScan === undefined ? undefined
    : share !== undefined && share.scan === plan.input ? share.filterRows
    : filterOverScanRows(plan.predicate, plan.input, overScan.scanPlan.splits);
  st.estimates.set(plan, filtered ?? estimateRows(plan, inputs, scanRows));
  return plan.kind === 'scan' ? withProbeFilters(plan, exec, st.probeFilters, st.probeFilteredScans) : exec;
}

/** The summary of a worker's share of a scan (what EXPLAIN would show for it; the main thread's is the real one). */
function shareSummary(splits: readonly Split[]): ScanSummary {
  let bytes = 0;
  for (const s of splits) if (s.kind === 'parquet') bytes += s.bytes;
  return { filesTotal: 0, filesKept: 0, rowGroupsTotal: 0, rowGroupsKept: 0, bytesToRead: bytes, partitionsTotal: 0, partitionsKept: 0 };
}

/** A filter over a scan's columns with column ids turned into the table's column indexes (ScanRequest.filters). */
function overTable(scan: ScanNode, f: Expr): Expr {
  const byId = new Map(scan.columns.map((c) => [c.col.id, c.index]));
  return transformUp(f, (e): Expr => (e.kind === 'column' && byId.has(e.id) ? { ...e, id: byId.get(e.id)! } : e));
}

/**
 * The conjuncts of a Filter right above a scan that the scan does not already guarantee: one pushed into the scan
 * that its table applies exactly (TableProvider.supportsFilters, e.g. a file table's partition filters, which
 * decide whole files) holds on every row the scan yields.
 */
function notAppliedByScan(scan: ScanNode, parts: readonly Expr[]): Expr[] {
  const pushed = new Set(scan.filters.map(exprKey));
  return parts.filter((p) => !pushed.has(exprKey(p)) || scan.table.supportsFilters([overTable(scan, p)])[0] !== 'exact');
}

async function build(plan: LogicalPlan, st: PlanState, path: readonly number[], keep?: ReadonlySet<number>): Promise<ExecutionPlan> {
  const child = (p: LogicalPlan): Promise<ExecutionPlan> => {
    const at = inputsOf(plan).indexOf(p);
    return planNode(p, { ...st, probeFilters: probeFiltersBelow(plan, at, st.probeFilters) }, [...path, at]);
  };
  const { env, estimates } = st;
  const ctx = env.evalCtx;
  switch (plan.kind) {
    case 'scan': {
      const filters = plan.filters.map((f) => overTable(plan, f));
      const request = { projection: plan.columns.map((c) => c.index), filters, limit: plan.limit };
      const earlier = st.scans.get(plan);
      const planning = earlier?.metrics.io?.planning ?? newIoStats();
      const share = env.share?.scan === plan ? env.share : undefined;
      const scanPlan = share !== undefined ? { splits: share.splits, summary: shareSummary(share.splits) }
        : earlier !== undefined ? earlier.scanPlan
        : await plan.table.planScan(request, { signal: env.signal, stats: planning, listing: env.listing });
      const exec = new ScanExec(plan.columns.map((c) => c.col), plan.table, request, scanPlan, plan.filters, planning, env.scanIo);
      st.scans.set(plan, exec);
      return exec;
    }
    case 'values':
      return new ValuesExec(plan.output, plan.rows);
    case 'filter': {
      const m = plan.input;
      const marks = m.kind === 'join' && m.joinType === 'mark' && m.mark !== undefined
        && conjuncts(plan.predicate).some((c) => c.kind === 'column' && c.id === m.mark!.id);
      const input = marks ? await planNode(m, { ...st, probeFilters: probeFiltersBelow(plan, 0, st.probeFilters), filteredMark: m }, [...path, 0]) : await child(plan.input);
      const positions = keep === undefined ? undefined : input.output.flatMap((c, i) => (keep.has(c.id) ? [i] : []));
      const kept = positions !== undefined && positions.length < input.output.length ? positions : undefined;
      // Conjuncts run one after another on the rows still kept, unless one after the first can fail (then the
      // predicate's own AND decides which rows each operand sees).
      const all = conjuncts(plan.predicate);
      const parts = plan.input.kind === 'scan' ? notAppliedByScan(plan.input, all) : all;
      const predicate = parts.length === all.length ? plan.predicate : and(parts);
      const staged = parts.length === 0 ? [] : parts.length > 1 && !parts.slice(1).some(canFail) ? parts : [predicate];
      const layout = layoutOf(input.output);
      return new FilterExec(input, staged.map((e) => compileExpr(e, layout, ctx)), plan.predicate, kept);
    }
    case 'project': {
      const needs = plan.input.kind === 'filter' ? referencedIdsOf(plan.items.map((i) => i.expr)) : undefined;
      const input = await planNode(plan.input, { ...st, probeFilters: probeFiltersBelow(plan, 0, st.probeFilters) }, [...path, 0], needs);
      const layout = layoutOf(input.output);
      return new ProjectExec(input, plan.items.map((i) => i.col), plan.items.map((i) => compileExpr(i.expr, layout, ctx)), plan.items.map((i) => i.expr));
    }
    case 'aggregate': {
      const rf = st.runtimeFilter;
      if (rf === undefined || rf.aggregate !== plan) return aggregateExec(plan, await child(plan.input), ctx);
      // The runtime filter's integer keys that are plain input columns reach the scans below as key bits.
      const bits = rf.keys.flatMap((k, key): PendingProbeFilter[] =>
        k.kind === 'column' && integerKeyWidth(k.type) > 0 ? [{ filter: rf.filter.bits, join: plan, side: 0, key, id: k.id, type: k.type }] : []);
      const input = await planNode(plan.input, { ...st, probeFilters: bits }, [...path, 0]);
      const layout = layoutOf(input.output);
      rf.installed = true;
      st.filteredAggregates?.add(plan);
      return aggregateExec(plan, new RuntimeFilterExec(input, rf.filter, rf.keys.map((k) => compileExpr(k, layout, ctx)), rf.keys), ctx);
    }
    case 'sort': {
      const input = await child(plan.input);
      const layout = layoutOf(input.output);
      return new SortExec(input, plan.keys.map((k) => ({ expr: compileExpr(k.expr, layout, ctx), text: k.expr, descending: k.descending, nullsFirst: k.nullsFirst })), plan.fetch);
    }
    case 'limit':
      return new LimitExec(await child(plan.input), plan.offset, plan.fetch);
    case 'join': {
      const semi = st.filteredMark === plan;
      const pf = probeKeyFilterFor(plan, semi);
      const joinFilters = st.joinFilters ?? new Map<LogicalPlan, ProbeKeyFilter>();
      if (pf !== undefined) joinFilters.set(plan, pf);
      const below = (at: 0 | 1): PendingProbeFilter[] => [...probeFiltersBelow(plan, at, st.probeFilters), ...pendingOf(plan, pf, at, semi)];
      const left = await planNode(plan.left, { ...st, probeFilters: below(0), joinFilters, filteredMark: undefined }, [...path, 0]);
      const rf = runtimeFilterFor(plan, st);
      // The joins under the left input are planned (their filters' probe sides are set): those whose keys this
      // join equates with right-side columns filter the scans under the right input, once they have built.
      const transitive = plan.equi.length > 0 ? transitiveFilters(plan, joinFilters) : [];
      const bf = buildFilterFor(plan);
      const right = await planNode(plan.right, {
        ...st, probeFilters: [...below(1), ...transitive, ...(bf?.pending ?? [])], runtimeFilter: rf ?? st.runtimeFilter, joinFilters, filteredMark: undefined,
      }, [...path, 1]);
      const both = layoutOf([...left.output, ...right.output]);
      const filter = plan.filter === undefined ? undefined : compileExpr(plan.filter, both, ctx);
      const options = { mode: plan.joinType === 'cross' ? 'inner' as const : plan.joinType, mark: plan.mark, nullAware: plan.nullAware, singleMatch: plan.singleMatch };
      if (plan.equi.length === 0 || plan.joinType === 'cross') return new NestedLoopJoinExec(left, right, options, filter, plan.filter);
      const smallerLeft = (estimates.get(plan.left) ?? 1) < (estimates.get(plan.right) ?? 1);
      if (plan.joinType === 'mark' && smallerLeft) {
        // Build over the outer rows and stream the subquery through them.
        if (pf !== undefined) pf.probeSide = 1;
        const ll = layoutOf(left.output), rl = layoutOf(right.output);
        return new OuterBuildMarkJoinExec(
          left, right, plan.mark!, plan.nullAware === true,
          plan.equi.map((e) => compileExpr(e.left, ll, ctx)),
          plan.equi.map((e) => compileExpr(e.right, rl, ctx)),
          plan.equi.map((e) => e.left.type),
          filter,
          { keys: plan.equi.map((e) => [e.left, e.right] as [Expr, Expr]), filter: plan.filter },
          undefined,
          pf,
        );
      }
      // The right input is built into the hash table: swapped when the left is smaller (join-build-side.ts).
      // A LEFT join whose runtime filter went into the aggregation on its right keeps building that side: filtered
      // by the probe keys (in the decoder workers too), it is the small one.
      const swap = buildsLeft(plan, smallerLeft) && !(plan.joinType === 'left' && rf?.installed === true);
      const [probe, buildSide] = swap ? [right, left] : [left, right];
      if (pf !== undefined && (plan.joinType === 'inner' || semi)) pf.probeSide = swap ? 1 : 0;
      const keys = plan.equi.map((e) => (swap ? { probe: e.right, build: e.left } : { probe: e.left, build: e.right }));
      const pl = layoutOf(probe.output), bl = layoutOf(buildSide.output);
      const join = new HashJoinExec(
        probe, buildSide, swap && plan.joinType === 'left' ? { ...options, mode: 'right' } : options,
        keys.map((k) => compileExpr(k.probe, pl, ctx)),
        keys.map((k) => compileExpr(k.build, bl, ctx)),
        keys.map((k) => k.probe.type),
        plan.filter === undefined ? undefined : compileExpr(plan.filter, layoutOf([...probe.output, ...buildSide.output]), ctx),
        { keys: keys.map((k) => [k.probe, k.build] as [Expr, Expr]), filter: plan.filter },
        undefined,
        !swap && rf?.installed === true ? rf.filter : undefined,
        pf?.probeSide === undefined ? undefined : pf,
        // Built over the right input, the join reads the left first so that the transitive filters' joins build
        // (built over the left, they build with it before the right input is read).
        !swap && transitive.length > 0,
        // A small build side costs little whole: reading the probe input first would only hold its rows.
        !swap && rf?.installed !== true && (estimates.get(plan.right) ?? 1) >= BUILD_FILTER_MIN_ROWS ? bf?.filter : undefined,
      );
      if (!swap) return join;
      // Restore the logical column order (left then right) over the swapped join.
      const cols = [...left.output, ...right.output];
      const exprs = cols.map((c): Expr => ({ kind: 'column', id: c.id, name: c.name, type: c.type }));
      const layout = layoutOf(join.output);
      return new ProjectExec(join, cols, exprs.map((e) => compileExpr(e, layout, ctx)), exprs);
    }
    case 'union':
      return new UnionExec(await Promise.all(plan.inputs.map((i) => child(i))), plan.output);
    case 'unnest': {
      const input = await child(plan.input);
      const layout = layoutOf(input.output);
      return new UnnestExec(input, outputOf(plan), plan.exprs.map((e) => compileExpr(e, layout, ctx)), plan.exprs, plan.ordinality !== undefined, plan.outer === true);
    }
    case 'window': {
      const input = await child(plan.input);
      const layout = layoutOf(input.output);
      return new WindowExec(
        input,
        plan.partitionBy.map((e) => compileExpr(e, layout, ctx)),
        plan.orderBy.map((k) => ({ expr: compileExpr(k.expr, layout, ctx), type: k.expr.type, descending: k.descending, nullsFirst: k.nullsFirst })),
        plan.calls.map((c) => ({ call: c, args: c.args.map((a) => compileExpr(a, layout, ctx)) })),
        { partitionBy: plan.partitionBy, orderBy: plan.orderBy },
      );
    }
    default:
      return assertNever(plan, 'plan node');
  }
}

/** A join's ProbeKeyFilter offered to the scans under one of its inputs, for one key that is a column there. */
interface PendingProbeFilter {
  readonly filter: ProbeKeyFilter;
  /** The join that offers it. */
  readonly join: LogicalPlan;
  readonly side: 0 | 1;
  readonly key: number;
  /** The key column's id, as named at the node being planned. */
  readonly id: number;
  readonly type: SqlType;
}

/**
 * The join's probe key filter (probe-key-filter.ts): for joins that drop the probe rows no build row matches
 * (inner joins, and mark joins not NULL-aware, which drop them when built over their outer rows).
 */
function probeKeyFilterFor(plan: Extract<LogicalPlan, { kind: 'join' }>, semi: boolean): ProbeKeyFilter | undefined {
  if (plan.equi.length === 0 || !plan.equi.some((e) => integerKeyWidth(e.left.type) > 0)) return undefined;
  return plan.joinType === 'inner' || (plan.joinType === 'mark' && (plan.nullAware !== true || semi)) ? new ProbeKeyFilter() : undefined;
}

/**
 * What the join's own filter offers its input `at`: its integer keys that are plain columns there. A mark join
 * keeps every left row, so it offers its left input nothing, unless `semi` (the Filter right above keeps only the
 * rows whose mark is true: a left row no build row matches has a false or NULL mark, NULL-aware or not). TPC-H
 * q18's `o_orderkey IN (…)` then reads the 58 orders the subquery keeps instead of marking 1.5M.
 */
function pendingOf(plan: Extract<LogicalPlan, { kind: 'join' }>, pf: ProbeKeyFilter | undefined, at: 0 | 1, semi: boolean): PendingProbeFilter[] {
  if (pf === undefined || (plan.joinType === 'mark' && at === 0 && !semi)) return [];
  return plan.equi.flatMap((e, key) => {
    const x = at === 0 ? e.left : e.right;
    return x.kind === 'column' && integerKeyWidth(x.type) > 0 ? [{ filter: pf, join: plan, side: at, key, id: x.id, type: x.type }] : [];
  });
}

/** Build sides estimated smaller than this get no build filter (see buildFilterFor). */
const BUILD_FILTER_MIN_ROWS = 1 << 16;

/**
 * A build filter (HashJoinExec buildFilter) for an inner join whose right input is a bare scan (projections of
 * columns at most): no filter there, so the probe filter its build keys arm drops no probe row of a foreign-key
 * join, while the probe side, often filtered hard by the joins and filters under it, names few of the build
 * rows. The join then reads its probe input first, when it is small enough, and the right scan's decoder drops
 * the rows whose key no probe row has: TPC-H q09's orders build shrinks from 1.5M rows to the 300k its 321k
 * lineitems name, q18's customers to 58. Keys are plain integer columns of one type on both sides.
 */
function buildFilterFor(plan: Extract<LogicalPlan, { kind: 'join' }>): { readonly filter: ProbeKeyFilter; readonly pending: PendingProbeFilter[] } | undefined {
  if (plan.joinType !== 'inner' || !bareScan(plan.right)) return undefined;
  const filter = new ProbeKeyFilter();
  filter.probeSide = 1;
  const pending = plan.equi.flatMap((e, key): PendingProbeFilter[] =>
    e.right.kind === 'column' && integerKeyWidth(e.right.type) > 0 && typeName(e.left.type) === typeName(e.right.type)
      ? [{ filter, join: plan, side: 1, key, id: e.right.id, type: e.right.type }] : []);
  return pending.length === 0 ? undefined : { filter, pending };
}

function bareScan(p: LogicalPlan): boolean {
  return p.kind === 'scan' || (p.kind === 'project' && p.items.every((i) => i.expr.kind === 'column') && bareScan(p.input));
}

/**
 * Transitive probe filters (TPC-H q09: lineitem ⋈ part on l_partkey, then ⋈ partsupp on l_partkey = ps_partkey):
 * an inner join under `plan`'s left input whose key column `plan` equates with a right-side column. The rows that
 * reach `plan` from the left have a key that join's build side has, and `plan` keeps only right rows equal to one
 * of them, so the right-side scans may drop the rows whose key that join's filter lacks: partsupp's 800k rows
 * shrink to the 43k of the parts kept. Found through filters, projections passing the column, inner joins and
 * the left input of left joins (rows whose key is unchanged); the key types must match, as the bitmaps are values
 * of that width. `plan` reads its probe input's first batch before its build side, so those joins have built
 * (HashJoinExec primeProbe); unarmed, a filter passes every row.
 */
function transitiveFilters(plan: Extract<LogicalPlan, { kind: 'join' }>, joinFilters: ReadonlyMap<LogicalPlan, ProbeKeyFilter>): PendingProbeFilter[] {
  if (plan.joinType !== 'inner') return [];
  const out: PendingProbeFilter[] = [];
  for (const e of plan.equi) {
    if (e.left.kind !== 'column' || e.right.kind !== 'column' || integerKeyWidth(e.right.type) === 0) continue;
    const type = typeName(e.right.type);
    for (const f of keyFiltersOn(plan.left, e.left.id, joinFilters)) {
      if (f.types.every((t) => typeName(t) === type)) out.push({ filter: f.filter, join: f.join, side: f.side, key: f.key, id: e.right.id, type: e.right.type });
    }
  }
  return out;
}

/** The armed-when-built filters of inner joins under `p` on a key column whose value column `id` carries (see transitiveFilters). */
function keyFiltersOn(
  p: LogicalPlan, id: number, joinFilters: ReadonlyMap<LogicalPlan, ProbeKeyFilter>,
): { readonly filter: ProbeKeyFilter; readonly join: LogicalPlan; readonly side: 0 | 1; readonly key: number; readonly types: readonly SqlType[] }[] {
  switch (p.kind) {
    case 'filter':
      return keyFiltersOn(p.input, id, joinFilters);
    case 'project': {
      const item = p.items.find((i) => i.col.id === id);
      return item?.expr.kind === 'column' ? keyFiltersOn(p.input, item.expr.id, joinFilters) : [];
    }
    case 'join': {
      if (!(p.joinType === 'inner' || p.joinType === 'left')) return [];
      const own = [];
      const pf = joinFilters.get(p);
      if (p.joinType === 'inner' && pf?.probeSide !== undefined) {
        for (let k = 0; k < p.equi.length; k++) {
          const e = p.equi[k]!;
          if ((e.left.kind === 'column' && e.left.id === id) || (e.right.kind === 'column' && e.right.id === id)) {
            own.push({ filter: pf, join: p as LogicalPlan, side: pf.probeSide, key: k, types: [e.left.type, e.right.type] });
          }
        }
      }
      const inputs = p.joinType === 'inner' ? [p.left, p.right] : [p.left];
      const at = inputs.find((i) => outputOf(i).some((c) => c.id === id));
      return at === undefined ? own : [...own, ...keyFiltersOn(at, id, joinFilters)];
    }
    default:
      return [];
  }
}

/**
 * The probe filters pending at `plan` that reach its input `at`: through filters, projections that pass the key
 * column on, and joins to the input holding the key column (either input of an inner join; the left of left and
 * mark joins, which output each of its rows with its key unchanged, so an upper join drops what the filter
 * drops). Nothing passes other nodes.
 */
function probeFiltersBelow(plan: LogicalPlan, at: number, pending: readonly PendingProbeFilter[] | undefined): PendingProbeFilter[] {
  if (pending === undefined || pending.length === 0) return [];
  switch (plan.kind) {
    case 'filter':
      return [...pending];
    case 'project':
      return pending.flatMap((f) => {
        const item = plan.items.find((i) => i.col.id === f.id);
        return item !== undefined && item.expr.kind === 'column' ? [{ ...f, id: item.expr.id }] : [];
      });
    case 'join': {
      if (!(plan.joinType === 'inner' || ((plan.joinType === 'left' || plan.joinType === 'mark') && at === 0))) return [];
      const ids = new Set(outputOf(at === 0 ? plan.left : plan.right).map((c) => c.id));
      return pending.filter((f) => ids.has(f.id));
    }
    default:
      return [];
  }
}

/** A scan under joins that offer probe filters on its columns: the scan under a ProbeFilterExec (noted in `filtered`). */
function withProbeFilters(
  plan: ScanNode, exec: ExecutionPlan, pending: readonly PendingProbeFilter[] | undefined, filtered: Map<ScanNode, ScanProbeFilter[]> | undefined,
): ExecutionPlan {
  if (pending === undefined || pending.length === 0) return exec;
  const targets = pending.flatMap((f) => {
    const column = plan.columns.findIndex((c) => c.col.id === f.id);
    if (column < 0 || typeName(plan.columns[column]!.col.type) !== typeName(f.type)) return [];
    return [{ filter: f.filter, side: f.side, key: f.key, column, join: f.join }];
  });
  if (targets.length === 0) return exec;
  if (filtered !== undefined) filtered.set(plan, [...filtered.get(plan) ?? [], ...targets]);
  if (exec instanceof ScanExec) exec.addProbeFilters(targets);
  return new ProbeFilterExec(exec, targets);
}

/** A runtime filter a join offers the aggregation on its build side, installed when that aggregation is planned. */
interface PendingRuntimeFilter {
  readonly aggregate: AggregateNode;
  readonly filter: RuntimeKeyFilter;
  /** The join's build keys as the aggregation's group expressions (over its input). */
  readonly keys: readonly Expr[];
  installed: boolean;
}

/**
 * A join whose build side is an aggregation grouped by the build keys (a decorrelated subquery; projections and
 * filters may sit between) can filter the aggregation's input by the probe keys: groups no probe row has never
 * match. Not for FULL joins (unmatched build
 * rows are output), NULL-aware IN (an empty or NULL-holding subquery decides it), grouping sets, or an
 * aggregation other copies share.
 */
function runtimeFilterFor(plan: Extract<LogicalPlan, { kind: 'join' }>, st: PlanState): PendingRuntimeFilter | undefined {
  if (plan.equi.length === 0) return undefined;
  if (!(plan.joinType === 'inner' || plan.joinType === 'left' || (plan.joinType === 'mark' && plan.nullAware !== true))) return undefined;
  // Down to the aggregation through projections (renaming its columns) and filters (dropping its rows).
  const rename = new Map<number, number>();
  for (const e of plan.equi) if (e.right.kind === 'column') rename.set(e.right.id, e.right.id);
  let agg = plan.right;
  while (agg.kind === 'project' || agg.kind === 'filter') {
    if (agg.kind === 'project') {
      const items = agg.items;
      for (const [k, v] of rename) {
        const it = items.find((x) => x.col.id === v);
        if (it === undefined || it.expr.kind !== 'column') return undefined;
        rename.set(k, it.expr.id);
      }
    }
    agg = agg.input;
  }
  if (agg.kind !== 'aggregate' || agg.groupingSets !== undefined || agg.groups.length === 0) return undefined;
  if (st.shared?.keys.has(agg) === true) return undefined;
  const keys: Expr[] = [];
  for (const e of plan.equi) {
    const r = e.right;
    const id = r.kind === 'column' ? rename.get(r.id) : undefined;
    const g = id === undefined ? undefined : agg.groups.find((x) => x.col.id === id);
    if (g === undefined || typeName(g.expr.type) !== typeName(e.left.type)) return undefined;
    keys.push(g.expr);
  }
  return { aggregate: agg, filter: new RuntimeKeyFilter(), keys, installed: false };
}

/** Hash aggregation of `plan` over its planned input. */
function aggregateExec(plan: AggregateNode, input: ExecutionPlan, ctx: EvalContext): ExecutionPlan {
  const layout = layoutOf(input.output);
  const aggs = plan.aggregates.map((a) => ({
    name: a.fn.name,
    resolved: a.resolved,
    args: a.args.map((x) => compileExpr(x, layout, ctx)),
    argTypes: a.args.map((x) => x.type),
    star: a.star,
    distinct: a.distinct,
    filter: a.filter === undefined ? undefined : compileExpr(a.filter, layout, ctx),
    orderBy: a.orderBy?.map((k) => ({ expr: compileExpr(k.expr, layout, ctx), text: k.expr, descending: k.descending, nullsFirst: k.nullsFirst })),
    text: `${a.col.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map((x) => (x.kind === 'column' ? x.name : '…')).join(', ')})`,
  }));
  return new HashAggregateExec(input, outputOf(plan), plan.groups.map((g) => compileExpr(g.expr, layout, ctx)), plan.groups.map((g) => g.expr), aggs, plan.groupingSets?.sets);
}

function referencedIdsOf(exprs: readonly Expr[]): Set<number> {
  const ids = new Set<number>();
  for (const e of exprs) referencedIds(e, ids);
  return ids;
}
