import { providerConformanceSuite } from '@doitong/core/testing';
import * as vitest from 'vitest';
import { houseRenderer } from '../src/house-renderer-provider';
import { startRenderService } from '../src/render-service';

// A host's own adapter passes the same conformance kit as the built-in catalog, against its own service.
providerConformanceSuite(vitest, {
  name: 'house-renderer',
  async setup() {
    const token = 'conformance-token';
    const service = await startRenderService({ token, renderMilliseconds: 800 });
    return {
      adapter: houseRenderer({ baseUrl: service.url, token }),
      request: { type: 'IMAGE', input: { text: 'sunrise' }, options: { aspectRatio: '16:9' } },
      synchronous: false,
      behave: (behaviour) => service.control.behave(behaviour),
      createCalls: () => service.control.createCalls(),
      cancelCalls: () => service.control.cancelCalls(),
      close: () => new Promise<void>((resolve) => service.server.close(() => resolve())),
    };
  },
});
