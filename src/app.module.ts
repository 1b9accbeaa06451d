import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { DataSource } from 'typeorm';
import { CommonModule } from './common/common.module';
import { graphqlOptions } from './common/graphql/graphql-options';
import { MetricsService } from './common/metrics/metrics.service';
import { RealtimeBus } from './common/pubsub/realtime-bus';
import { AgentConnectionRegistry } from './common/auth/connections';
import { VisitorAuthRegistry } from './common/auth/visitor';
import type { AppConfig } from './config/config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AuthService } from './identity/auth.service';
import { IdentityModule } from './identity/identity.module';
import { domainModules } from './domain-modules';
import { WorkspaceModule } from './workspace/workspace.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(dataSource),
        CommonModule,
        IdentityModule,
        ...domainModules,
        WorkspaceModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [IdentityModule],
          inject: [APP_CONFIG, AuthService, MetricsService, RealtimeBus, VisitorAuthRegistry, AgentConnectionRegistry],
          useFactory: graphqlOptions,
        }),
      ],
    };
  }
}
