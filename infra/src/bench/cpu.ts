import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used so far, in µs, from Linux `/proc/<pid>/stat`:
 * unlike req/s or wall time, barely moved by other load on the machine.
 */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
