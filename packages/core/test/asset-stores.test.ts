import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { LocalAssetStore } from '@doitong/core';
import { assetStoreTestSuite } from '@doitong/core/testing';

assetStoreTestSuite(vitest, {
  name: 'a local folder (the default)',
  create: async () => new LocalAssetStore(mkdtempSync(join(tmpdir(), 'doitong-asset-suite-'))),
  close: async (store) => rmSync((store as LocalAssetStore).directory, { recursive: true, force: true }),
});
