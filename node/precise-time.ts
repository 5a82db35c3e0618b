// Wall-clock time with sub-millisecond precision, for timestamps other processes on the same
// machine compare with ours (block acceptance across a local testnet: single milliseconds).
// Date.now() is whole milliseconds. performance.timeOrigin is the wall clock at process start
// (sub-ms) and performance.now() the monotonic time since; both move with NTP slewing alike,
// so two processes' readings differ only by a clock step between their starts.

/** Unix time in ms, rounded to the microsecond. */
export function preciseNowMs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
}
