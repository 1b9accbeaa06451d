import { type DynamicModule, forwardRef, Injectable, Module } from '@nestjs/common';
import { Query, Resolver, Scalar } from '@nestjs/graphql';
import {
  buildSchemaSdl,
  collectProviderClasses,
  discoverGraphQLProviders,
  renderSchemaFile,
  SCHEMA_FILE_HEADER,
  stripSchemaFileHeader,
} from './schema-sdl';

@Resolver()
class PingResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }
}

@Resolver()
class ClockResolver {
  @Query(() => String)
  now(): string {
    return new Date().toISOString();
  }
}

class Money {}

@Scalar('Money', () => Money)
class MoneyScalar {
  description = 'An amount in minor units.';
}

@Injectable()
class PlainService {}

@Module({ providers: [PingResolver, PlainService] })
class PingModule {}

@Module({})
class ClockModule {
  static forRoot(): DynamicModule {
    return { module: ClockModule, providers: [{ provide: 'clock', useClass: ClockResolver }, MoneyScalar] };
  }
}

@Module({ imports: [forwardRef(() => PingModule), ClockModule.forRoot(), PingModule] })
class RootModule {}

describe('schema printer: resolver discovery', () => {
  it('walks static imports, dynamic modules and forward references', async () => {
    const classes = await collectProviderClasses(RootModule);
    expect([...classes]).toEqual(expect.arrayContaining([PingResolver, PlainService, ClockResolver, MoneyScalar]));
  });

  it('keeps only resolvers (even argument-less @Resolver()) and code-first scalars', async () => {
    const { resolvers, scalarsMap } = await discoverGraphQLProviders(RootModule);
    expect(resolvers.sort((a, b) => a.name.localeCompare(b.name))).toEqual([ClockResolver, PingResolver]);
    expect(scalarsMap).toHaveLength(1);
    expect(scalarsMap[0].type).toBe(Money);
    expect(scalarsMap[0].scalar.name).toBe('Money');
    expect(scalarsMap[0].scalar.description).toBe('An amount in minor units.');
  });
});

describe('schema printer: the file', () => {
  it('writes a header line and strips it again', () => {
    const file = renderSchemaFile('type Query {\n  ping: String!\n}');
    expect(file.startsWith(SCHEMA_FILE_HEADER)).toBe(true);
    expect(file.endsWith('}\n')).toBe(true);
    expect(stripSchemaFileHeader(file)).toBe('type Query {\n  ping: String!\n}');
  });

  it("prints the app's schema without a database", async () => {
    const sdl = await buildSchemaSdl();
    expect(sdl).toContain('type Query {');
    expect(sdl).toMatch(/\n {2}login\(/);
    expect(sdl).toContain('scalar DateTime');
  });
});
