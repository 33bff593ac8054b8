import { describe, expect, it } from 'vitest';
import { pathBelowMount } from '@doitong/core';

describe('pathBelowMount', () => {
  it('gives the path below the mount path, with its query string, as DoitongRequest.url takes it', () => {
    expect(pathBelowMount('/graphql', '/graphql')).toBe('/');
    expect(pathBelowMount('/graphql/', '/graphql')).toBe('/');
    expect(pathBelowMount('/graphql/assets/a.png', '/graphql')).toBe('/assets/a.png');
    expect(pathBelowMount('/graphql?query={ok}', '/graphql')).toBe('/?query={ok}');
    expect(pathBelowMount('/graphql/ready?x=1', '/graphql')).toBe('/ready?x=1');
  });

  it('is undefined for a path that is not under the mount path', () => {
    expect(pathBelowMount('/graphqlx', '/graphql')).toBeUndefined();
    expect(pathBelowMount('/other', '/graphql')).toBeUndefined();
    expect(pathBelowMount('/', '/graphql')).toBeUndefined();
  });

  it('takes every path under a mount at the root', () => {
    expect(pathBelowMount('/', '')).toBe('/');
    expect(pathBelowMount('/graphql?x=1', '')).toBe('/graphql?x=1');
  });
});
