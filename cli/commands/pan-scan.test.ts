import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAN_SCAN_EXIT, panScanCommand } from './pan-scan.ts';

describe('finledger pan-scan', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['an unknown flag', ['--bogus']],
    ['a state folder that does not exist', ['--state-dir', join(tmpdir(), 'finledger-no-such-state-folder')]],
  ])('exits 2 without starting a runtime on %s', async (_name, args) => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const code = await panScanCommand(args, tmpdir());

    // Assess
    expect(code).toBe(PAN_SCAN_EXIT.usage);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^pan-scan: /));
  });
});
