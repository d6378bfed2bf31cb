import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from './src/config/database.config';
import { buildDataSourceOptions } from './src/database/typeorm-options';

/** The TypeORM CLI DataSource (npm run migration:*), built from the same options as the app. */
export default new DataSource(buildDataSourceOptions(readDatabaseConfig()));
