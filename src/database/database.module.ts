import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseOf, DatabaseService } from './database.service';

/** The DatabaseService of the app's DataSource, for every module. */
@Global()
@Module({
  providers: [{ provide: DatabaseService, inject: [DataSource], useFactory: (ds: DataSource) => databaseOf(ds) }],
  exports: [DatabaseService],
})
export class DatabaseModule {}
