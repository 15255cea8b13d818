// A workspace's output reaches its host log files only through the cluster, capped: the cut falls exactly at the
// cap, the note is written once, and a full disk loses text but never throws.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capNote, describeBytes, MAX_LOG_BYTES, openCappedLog } from '../src/capped-log.ts';
import { removeTempDirs, tempDir } from './git-fixtures.ts';

afterEach(() => removeTempDirs());

const read = (file: string) => readFileSync(file, 'utf8');

describe('capped log', () => {
  it('names its cap the way people read sizes', () => {
    expect(describeBytes(MAX_LOG_BYTES)).toBe('16 MiB');
    expect(describeBytes(64 * 1024)).toBe('64 KiB');
    expect(describeBytes(100)).toBe('100 bytes');
    expect(capNote(MAX_LOG_BYTES)).toBe('── output beyond 16 MiB not kept ──\n');
  });

  it('keeps output that fills the file exactly to the cap, with no note', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 10);
    log.output('12345');
    log.output(Buffer.from('67890'));
    log.close();
    expect(read(file)).toBe('1234567890');
  });

  it('cuts at the cap, then writes the note once on a line of its own and drops the rest', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 10);
    log.output('123456');
    log.output('7890ABC');
    log.output('more\n');
    log.output('and more\n');
    log.close();
    expect(read(file)).toBe(`1234567890\n${capNote(10)}`);
  });

  it('puts the note straight after a cut that falls at a line end', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 6);
    log.output('12345\nlater\n');
    log.close();
    expect(read(file)).toBe(`12345\n${capNote(6)}`);
  });

  it("always keeps the cluster's own lines, also past the cap (they count towards it)", () => {
    const file = join(tempDir(), 'a.log');
    const cap = Buffer.byteLength('── init ──\n') + 4;
    const log = openCappedLog(file, cap);
    log.line('── init ──');
    log.output('xyz\n');
    log.line('── init finished in 0.1 s ──');
    log.output('more\n');
    log.line('── command ──');
    log.close();
    expect(read(file)).toBe(`── init ──\nxyz\n── init finished in 0.1 s ──\n${capNote(cap)}── command ──\n`);
  });

  it('counts what the file already holds: a file at its cap gets only the note, once per log opened', () => {
    const file = join(tempDir(), 'a.log');
    writeFileSync(file, '0123456789');
    const first = openCappedLog(file, 10);
    first.output('a');
    first.output('b');
    first.close();
    expect(read(file)).toBe(`0123456789\n${capNote(10)}`);
    const second = openCappedLog(file, 10);
    second.line('── before ──');
    second.output('c');
    second.close();
    expect(read(file)).toBe(`0123456789\n${capNote(10)}── before ──\n${capNote(10)}`);
  });

  it('swallows write errors (a full disk) and a log it cannot open', () => {
    const full = openCappedLog('/dev/full', 100);
    expect(() => {
      full.line('── init ──');
      full.output('x'.repeat(50));
      full.output('y'.repeat(500));
      full.close();
    }).not.toThrow();
    const missing = join(tempDir(), 'gone', 'a.log');
    const nowhere = openCappedLog(missing, 100);
    expect(() => {
      nowhere.line('── init ──');
      nowhere.output('x');
      nowhere.close();
    }).not.toThrow();
    expect(existsSync(missing)).toBe(false);
  });
});
