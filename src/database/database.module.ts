import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Provides the already-initialised and migrated DataSource created at boot. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(dataSource: DataSource) {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}
