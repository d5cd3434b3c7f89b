import type { GroupRuns, GroupRunsSource } from '../function.js';

/** Runs pay when groups are few: at most this many, and at most 1 per RUN_ROWS_PER_GROUP rows. */
const RUNS_MAX_GROUPS = 256;
const RUN_ROWS_PER_GROUP = 16;

/**
 * The runs of one batch's group ids (a counting sort), made when first asked for, once for all the batch's
 * accumulators; null when the groups are too many for runs to pay. With runs, exact sums and counts add each
 * group's values in locals instead of reading and writing the group's state once per row.
 */
export class BatchGroupRuns implements GroupRunsSource {
  private made = false;
  private runs: GroupRuns | null = null;

  constructor(private readonly groupIds: Int32Array, private readonly rows: number, private readonly numGroups: number) {}

  get(): GroupRuns | null {
    if (!this.made) {
      this.made = true;
      const { groupIds, rows, numGroups } = this;
      if (numGroups <= RUNS_MAX_GROUPS && numGroups * RUN_ROWS_PER_GROUP <= rows) {
        const start = new Int32Array(numGroups + 1);
        for (let i = 0; i < rows; i++) start[groupIds[i]! + 1]!++;
        for (let g = 0; g < numGroups; g++) start[g + 1]! += start[g]!;
        const next = start.slice(0, numGroups);
        const order = new Int32Array(rows);
        for (let i = 0; i < rows; i++) order[next[groupIds[i]!]!++] = i;
        this.runs = { start, rows: order };
      }
    }
    return this.runs;
  }
}
