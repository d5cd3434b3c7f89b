/**
 * Where the physical planner cuts fragments for worker threads (fragment.ts). A fragment is driven by one file
 * scan whose splits the workers share, through filters, projections and hash-join probes against small build
 * sides that every worker builds itself (broadcast):
 *  - an aggregation over such a fragment, whose calls split into partial and final steps (partial-aggregate.ts):
 *    the workers aggregate partially, the main thread finishes;
 *  - otherwise the highest such fragment that filters or joins away most rows (ROWS_KEPT_MAX): the main thread
 *    gathers the rows in the scan's order.
 * The main thread still plans the fragment itself (listing, footers, pruning): its splits are what the workers
 * share.
 */
import { internalError } from '../common/index.js';
import { columnRef, compileExpr, conjuncts, referencedIds, type Expr } from '../expr/index.js';
import { selectivity } from '../optimizer/index.js';
import { decoderTests, FileTable, type Split } from '../catalog/index.js';
import type { EvalContext } from '../functions/index.js';
import { inputsOf, outputOf, type AggregateNode, type LogicalPlan, type ScanNode } from '../plan/index.js';
import { decodedRows, splitRows } from './estimate-rows.js';
import { partialMayShrink } from './fragment-work.js';
import { buildsLeft } from './join-build-side.js';
import { layoutOf, type ExecutionPlan } from './execution-plan.js';
import type { FragmentLauncher, FragmentMode } from './fragment.js';
import { ClusteredFinalExec } from './clustered-final-exec.js';
import { GatherExec } from './gather-exec.js';
import { HashAggregateExec, type PhysicalAggregate } from './hash-aggregate-exec.js';
import { partialColumn, splitAggregate, type SplitAggregate } from './partial-aggregate.js';
import type { ScanProbeFilter } from './probe-key-filter.js';
import type { PlanState } from './physical-planner.js';
import type { ScanExec } from './scan-exec.js';
import { clusteredKey } from './split-clustering.js';

/**
 * Where a fragment goes to workers. `scanPath` leads from the fragment's root to its driving scan (the one whose
 * splits the workers share).
 */
export interface FragmentChoice {
  readonly mode: FragmentMode;
  readonly scan: ScanNode;
  readonly scanPath: readonly number[];
}

/**
 * Every worker reads and builds every broadcast side itself: a fragment goes to workers only while the rows its
 * build sides scan, together, stay this many times below the driving scan's.
 */
const BROADCAST_RATIO = 4;

/**
 * A 'rows' fragment sends what it keeps back to the calling thread (Arrow IPC out, in, and a copy): it pays only
 * when it keeps at most this share of its driving scan's rows (see keptShare): about 0.15 µs of CPU per row sent
 * on both sides together, as much as a filter's own work. At SF1 on two threads, fragments estimated to keep
 * a half (q03's, q21's lineitem filters) or a quarter (q07's) took 0.7-1.2 s more CPU than one thread, and no less
 * time.
 */
const ROWS_KEPT_MAX = 0.1;

type Estimate = (p: LogicalPlan) => number;

/** What the decoder workers of a Parquet driving scan drop: see keptShare. */
interface DecoderWork {
  readonly scan: ScanNode;
  /** The scan's output column ids: only conjuncts over these are its filters. */
  readonly columns: ReadonlySet<number>;
  /** The joins whose probe filters reach the scan (their key bits go to its decoder). */
  readonly joins: ReadonlySet<LogicalPlan>;
}

/**
 * Whether the driving scan's decoder tests `conjunct`: a comparison decoderTests takes, over the scan's own
 * columns (a build side's filter drops rows of that side, not of the driving scan).
 */
function decoderTestsOn(decoder: DecoderWork, conjunct: Expr): boolean {
  return decoderTests(conjunct) && [...referencedIds(conjunct)].every((id) => decoder.columns.has(id));
}

function contains(p: LogicalPlan, node: LogicalPlan): boolean {
  return p === node || inputsOf(p).some((c) => contains(c, node));
}

function scansIn(p: LogicalPlan): ScanNode[] {
  return p.kind === 'scan' ? [p] : inputsOf(p).flatMap(scansIn);
}

/** Rows the scans of `p` read, or undefined when one is not a file table (workers see the same catalogs, not this session's memory tables). */
function scannedRows(p: LogicalPlan, rowsOf: (s: ScanNode) => number): number | undefined {
  if (p.kind === 'scan' && !(p.table instanceof FileTable)) return undefined;
  let n = p.kind === 'scan' ? rowsOf(p) : 0;
  for (const c of inputsOf(p)) {
    const r = scannedRows(c, rowsOf);
    if (r === undefined) return undefined;
    n += r;
  }
  return n;
}

interface Driving {
  readonly scan: ScanNode;
  readonly path: readonly number[];
  /** Rows the fragment's build sides scan. */
  readonly buildRows: number;
}

/**
 * The share of its scans' rows `p` keeps: a Filter the share the join-order estimates give its predicate
 * (optimizer `selectivity`: each conjunct half, an equality one row in min(rows, 20) of its input, so a region
 * filter keeps a fifth) (a scan's own filters are copies of those above it, for pruning); an inner join keeps
 * both sides' shares (a foreign-key join keeps the probe rows whose key the build side kept); left and mark joins
 * keep their left side's. Measured at SF1 on two threads: TPC-H q05's lineitem ⋈ supplier ⋈ nation ⋈ region
 * fragment, estimated at a tenth with a flat tenth per equality, kept a fifth (1.2M rows sent back) and took
 * 711 ms against 450 ms on one thread.
 *
 * With `decoder` (the driving scan reads Parquet) only the rows the fragment's own operators drop count: the
 * decoder workers test a scan's integer and date comparisons (decoderTests) and the key bits of the joins whose
 * probe filters reach the driving scan (`decoder.joins`) before any row reaches a thread that runs operators, on
 * one thread as on several. At SF1 on two threads, best of four in alternation, the fragments such rows had
 * qualified took longer than one thread: q17 (lineitem ⋈ part) 649-666 ms against 447-492, q08 530-538 against
 * 419-462, q12 334-367 against 305-312, q03 390-409 against 373-384.
 */
function keptShare(p: LogicalPlan, est: Estimate, decoder: DecoderWork | undefined): number {
  switch (p.kind) {
    case 'filter': {
      const own = decoder === undefined ? [p.predicate] : conjuncts(p.predicate).filter((c) => !decoderTestsOn(decoder, c));
      return keptShare(p.input, est, decoder) * selectivity(own, est(p.input));
    }
    case 'project':
      return keptShare(p.input, est, decoder);
    case 'join': {
      const left = keptShare(p.left, est, decoder);
      if (p.joinType !== 'inner') return left;
      const right = keptShare(p.right, est, decoder);
      // The decoder drops the probe rows whose key no build row has: the build side's share is no longer the join's.
      if (decoder?.joins.has(p) === true) return contains(p.left, decoder.scan) ? left : right;
      return left * right;
    }
    default:
      return 1;
  }
}

/**
 * The driving scan of a would-be fragment rooted at `p`: a file scan under filters, projections and hash joins
 * that keep each probe row's output independent of the other probe rows (inner, left, mark), whose build sides
 * are small enough for every worker to build (broadcast, see BROADCAST_RATIO). The probe side is the one the
 * planner picks from the same estimates (see physical-planner.ts 'join').
 */
function drivingScan(p: LogicalPlan, est: Estimate, rowsOf: (s: ScanNode) => number): Driving | undefined {
  switch (p.kind) {
    case 'scan':
      return p.limit === undefined && p.table instanceof FileTable ? { scan: p, path: [], buildRows: 0 } : undefined;
    case 'filter':
    case 'project': {
      const d = drivingScan(p.input, est, rowsOf);
      return d === undefined ? undefined : { ...d, path: [0, ...d.path] };
    }
    case 'join': {
      if (p.equi.length === 0 || !(p.joinType === 'inner' || p.joinType === 'left' || p.joinType === 'mark')) return undefined;
      const smallerLeft = est(p.left) < est(p.right);
      if (p.joinType === 'mark' && smallerLeft) return undefined;
      // A LEFT join built over its left side emits the unmatched build rows at the end: every worker would.
      if (p.joinType === 'left' && buildsLeft(p, smallerLeft)) return undefined;
      const probeAt = buildsLeft(p, smallerLeft) ? 1 : 0;
      const probe = probeAt === 0 ? p.left : p.right;
      const buildSide = probeAt === 0 ? p.right : p.left;
      const d = drivingScan(probe, est, rowsOf);
      if (d === undefined || contains(buildSide, d.scan)) return undefined;
      const rows = scannedRows(buildSide, rowsOf);
      if (rows === undefined || (d.buildRows + rows) * BROADCAST_RATIO > rowsOf(d.scan)) return undefined;
      return { scan: d.scan, path: [probeAt, ...d.path], buildRows: d.buildRows + rows };
    }
    default:
      return undefined;
  }
}

/** A rows fragment must do some work per row (filter or join) to pay for sending its rows back. */
function worksPerRow(p: LogicalPlan): boolean {
  switch (p.kind) {
    case 'filter':
    case 'join':
      return true;
    case 'project':
      return worksPerRow(p.input);
    default:
      return false;
  }
}

/**
 * The fragments of a plan, from a first planning pass's estimates and scans, top down: an aggregation whose
 * input has a driving scan and whose calls split becomes a 'partial' fragment; otherwise the highest subtree
 * with a driving scan and per-row work becomes a 'rows' fragment. Only driving scans of at least two splits
 * qualify, and only fragments whose operators would see parallel_min_rows rows (fragment-work.ts: after row-group
 * pruning and the decoder's own tests) whose partial step, if any, may shrink them; parallel_min_rows = 0 waives
 * both. Aggregations in `keepLocal` (their input is runtime-filtered) are never partial.
 * No fragment is cut below a join whose probe filter reaches a scan in it (`probeFiltered`: the filters each scan
 * was offered, armed where their join probes that scan's side): the workers would scan without it. At SF1 on two
 * threads, TPC-H q08's lineitem fragment, cut below its orders and supplier joins, sent back 40,877 rows where the
 * filtered scan keeps 2,492, and the query took 653 ms against 522 ms on one thread; q10's orders scan and q02's
 * partsupp scan lost theirs the same way. Sending the armed bits to the workers instead (tried: q08 658 against
 * 550 ms, q10 796 against 820, q21 1020 against 942) cost more than it saved: the scan's decoding is the
 * bottleneck either way, and every worker builds the fragment's own join sides again.
 */
export function chooseFragments(
  root: LogicalPlan, estimates: ReadonlyMap<LogicalPlan, number>, scans: ReadonlyMap<ScanNode, ScanExec>, launcher: FragmentLauncher,
  keepLocal: ReadonlySet<LogicalPlan> = new Set(), probeFiltered: ReadonlyMap<ScanNode, readonly ScanProbeFilter[]> = new Map(),
): Map<LogicalPlan, FragmentChoice> {
  const est: Estimate = (p) => estimates.get(p) ?? 1;
  const splitsOf = (s: ScanNode): readonly Split[] => scans.get(s)?.scanPlan.splits ?? [];
  const rowsOf = (s: ScanNode): number => splitRows(splitsOf(s));
  const out = new Map<LogicalPlan, FragmentChoice>();
  const decoderWork = (scan: ScanNode): DecoderWork | undefined => {
    if (!(scan.table instanceof FileTable) || scan.table.format !== 'parquet') return undefined;
    return { scan, columns: new Set(outputOf(scan).map((c) => c.id)), joins: new Set((probeFiltered.get(scan) ?? []).filter((f) => f.filter.probeSide === f.side).map((f) => f.join)) };
  };
  /**
   * The rows the operators of a fragment rooted at `p` would see: what the driving scan's decoder keeps of its
   * splits (estimate-rows.ts decodedRows), times, for each join in the fragment whose key bits the decoder tests, the share
   * its build side keeps (a foreign-key join's probe rows follow the build side's keys).
   */
  const operatorRows = (p: LogicalPlan, d: Driving): number => {
    const decoder = decoderWork(d.scan);
    let rows = decodedRows(d.scan, splitsOf(d.scan));
    for (const join of decoder?.joins ?? []) {
      if (join.kind !== 'join' || !contains(p, join)) continue;
      rows *= keptShare(contains(join.left, d.scan) ? join.right : join.left, est, undefined);
    }
    return rows;
  };
  /**
   * Whether a fragment rooted at `p` and driven by `d` is worth its workers; `partial`: the aggregation whose
   * partial step tops it, which must shrink its rows. A scan that reads no column (count(*)) decodes nothing:
   * workers would only add their start-up and footer reads. parallel_min_rows = 0 sends every scan of two or more
   * splits to the workers, however little its operators do.
   */
  const worth = (p: LogicalPlan, d: Driving, partial?: AggregateNode): boolean => {
    if (d.scan.columns.length === 0 || splitsOf(d.scan).length < 2) return false;
    if (launcher.minRows === 0) return true;
    const rows = operatorRows(p, d);
    return rows >= launcher.minRows && (partial === undefined || partialMayShrink(partial, d.scan, splitsOf(d.scan), rows));
  };
  /** Whether a fragment rooted at `p` holds every join whose probe filter reaches a scan in it. */
  const keepsFilters = (p: LogicalPlan): boolean => scansIn(p).every((scan) =>
    (probeFiltered.get(scan) ?? []).every((f) => f.filter.probeSide !== f.side || contains(p, f.join)));
  const visit = (p: LogicalPlan): void => {
    if (p.kind === 'aggregate' && !keepLocal.has(p) && splitAggregate(p) !== undefined) {
      const d = drivingScan(p.input, est, rowsOf);
      if (d !== undefined && worth(p.input, d, p) && keepsFilters(p)) {
        out.set(p, { mode: 'partial', scan: d.scan, scanPath: [0, ...d.path] });
        return;
      }
    }
    if (worksPerRow(p)) {
      const d = drivingScan(p, est, rowsOf);
      if (d !== undefined && keptShare(p, est, decoderWork(d.scan)) <= ROWS_KEPT_MAX && worth(p, d) && keepsFilters(p)) {
        out.set(p, { mode: 'rows', scan: d.scan, scanPath: d.path });
        return;
      }
    }
    inputsOf(p).forEach(visit);
  };
  visit(root);
  return out;
}

/**
 * The main thread's side of a fragment: the fragment planned here (never run: it holds the driving scan's
 * splits and shows in EXPLAIN), under a Gather, and for 'partial' the final aggregation above.
 */
export async function planFragment(
  plan: LogicalPlan, f: FragmentChoice, path: readonly number[], launcher: FragmentLauncher, st: PlanState,
  planNode: (p: LogicalPlan, st: PlanState, path: readonly number[]) => Promise<ExecutionPlan>,
  aggregate: (plan: AggregateNode, input: ExecutionPlan, ctx: EvalContext) => ExecutionPlan,
): Promise<ExecutionPlan> {
  const ctx = st.env.evalCtx;
  // The estimate of the driving scan's filter, which the workers cannot make from their share of the splits.
  const withFilterRows = (): { path: readonly number[]; scanPath: readonly number[]; mode: FragmentMode; filterRows: number | undefined } => {
    const filter = filterAbove(plan, f.scan);
    return { path, scanPath: f.scanPath, mode: f.mode, filterRows: filter === undefined ? undefined : st.estimates.get(filter) };
  };
  if (f.mode === 'rows') {
    const local = await planNode(plan, st, path);
    return new GatherExec(local.output, local, drivingExec(st, f), launcher, withFilterRows(), '');
  }
  if (plan.kind !== 'aggregate') throw internalError('a partial fragment chosen for a node that does not aggregate');
  const split = splitAggregate(plan);
  const local = await planNode(plan.input, st, [...path, 0]);
  const at = withFilterRows();
  if (split === undefined) return aggregate(plan, local, ctx);
  const driving = drivingExec(st, f);
  const gather = new GatherExec(split.partialOutput, local, driving, launcher, at, split.partials.map((p) => p.text).join(', '));
  const clustered = clusteredKey(plan, f.scan, driving.scanPlan.splits);
  if (clustered === undefined) return finalAggregate(plan, split, gather, ctx);
  return new ClusteredFinalExec(
    gather, outputOf(plan), plan.groups.length, clustered.group, clustered.shared, finalCalls(split, layoutOf(gather.output), ctx),
    (source) => finalAggregate(plan, split, source, ctx),
  );
}

/** The Filter whose input is `scan`, within `p`. */
function filterAbove(p: LogicalPlan, scan: ScanNode): LogicalPlan | undefined {
  if (p.kind === 'filter' && p.input === scan) return p;
  for (const c of inputsOf(p)) {
    const f = filterAbove(c, scan);
    if (f !== undefined) return f;
  }
  return undefined;
}

function drivingExec(st: PlanState, f: FragmentChoice): ScanExec {
  const exec = st.scans.get(f.scan);
  if (exec === undefined) throw internalError('a fragment\'s driving scan was not planned');
  return exec;
}

/** The main thread's step over the workers' partial rows: groups by the group columns, merges the partials. */
function finalAggregate(plan: AggregateNode, split: SplitAggregate, input: ExecutionPlan, ctx: EvalContext): ExecutionPlan {
  const layout = layoutOf(input.output);
  const groups = plan.groups.map((g) => compileExpr(columnRef(g.col.id, g.col.name, g.col.type), layout, ctx));
  return new HashAggregateExec(input, outputOf(plan), groups, plan.groups.map((g) => g.expr), finalCalls(split, layout, ctx));
}

/** The final calls compiled over the partial output's `layout`. */
function finalCalls(split: SplitAggregate, layout: ReadonlyMap<number, number>, ctx: EvalContext): PhysicalAggregate[] {
  return split.finals.map((f) => {
    const args = f.inputs.map((i) => partialColumn(split, i));
    return {
      name: f.text, resolved: f.resolved, args: args.map((a) => compileExpr(a, layout, ctx)), argTypes: args.map((a) => a.type),
      star: false, distinct: false, text: f.text,
    };
  });
}

/** A worker's partial step of `node` over its planned input (the same split the main thread made). */
export function planPartialAggregate(node: AggregateNode, input: ExecutionPlan, ctx: EvalContext): ExecutionPlan {
  const split = splitAggregate(node);
  if (split === undefined) throw internalError('a worker could not split an aggregation the main thread split');
  const layout = layoutOf(input.output);
  const aggs: PhysicalAggregate[] = split.partials.map((p) => ({
    name: p.text, resolved: p.resolved, args: p.args.map((a) => compileExpr(a, layout, ctx)), argTypes: p.args.map((a) => a.type),
    star: p.star, distinct: false, filter: p.filter === undefined ? undefined : compileExpr(p.filter, layout, ctx), text: p.text,
  }));
  const groups = node.groups.map((g) => compileExpr(g.expr, layout, ctx));
  return new HashAggregateExec(input, split.partialOutput, groups, node.groups.map((g) => g.expr), aggs);
}
