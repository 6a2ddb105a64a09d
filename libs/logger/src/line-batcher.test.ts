import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LineBatcher } from './line-batcher.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('LineBatcher', () => {
  it('hands the lines of one event-loop turn to the sink as one write, in order', async () => {
    const writes: string[] = [];
    const batcher = new LineBatcher({ write: (chunk) => writes.push(chunk) });
    batcher.write('a\n');
    batcher.write('b\n');
    batcher.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    batcher.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes what is pending when the process exits in the turn it logged in', () => {
    const logger = fileURLToPath(new URL('./create-logger.ts', import.meta.url));
    const script = `
      const { createLogger } = await import(${JSON.stringify(logger)});
      const log = createLogger({ name: 'exit-test', pretty: false });
      for (let i = 0; i < 3; i++) log.info({ i }, 'before exit');
      log.error('fatal, exiting');
      process.exit(3);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(3);
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toEqual([
      'before exit',
      'before exit',
      'before exit',
      'fatal, exiting',
    ]);
    expect(lines.map((line) => line.i)).toEqual([0, 1, 2, undefined]);
  });
});
