import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { allConfigs, databaseConfig, readDatabaseConfig } from './config';
import { createDataSource } from './database/data-source.factory';
import { DatabaseModule } from './database/database.module';
import { buildDataSourceOptions } from './database/typeorm-options';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OfficesModule } from './offices/offices.module';
import { UsersModule } from './users/users.module';
import { RiskModule } from './risk/risk.module';
import { OutcomesModule } from './outcomes/outcomes.module';
import { ReportsModule } from './reports/reports.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { PagesModule } from './pages/pages.module';
import { AttentionModule } from './attention/attention.module';
import { InstitutionsModule } from './institutions/institutions.module';
import { AppearancesModule } from './appearances/appearances.module';
import { CalendarModule } from './calendar/calendar.module';
import { InstitutionReceptionModule, ReceptionModule } from './reception/reception.module';
import { TimelineModule } from './timeline/timeline.module';
import { IncidentsModule } from './incidents/incidents.module';
import { ImportsModule } from './imports/imports.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { TokensModule } from './tokens/tokens.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: ConfigType<typeof databaseConfig>) => buildDataSourceOptions(db),
      // the factory is not injected: it reads the same validated environment as databaseConfig
      dataSourceFactory: (options) => createDataSource(options!, { readerCacheMb: readDatabaseConfig().sqliteReaderCacheMb }),
    }),
    DatabaseModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    ScheduleModule.forRoot(),
    CommonModule,
    AuditModule,
    AuthModule,
    TokensModule,
    HealthModule,
    OfficesModule,
    UsersModule,
    NotificationsModule,
    RiskModule,
    OutcomesModule,
    ReportsModule,
    DashboardModule,
    PagesModule,
    AttentionModule,
    InstitutionsModule,
    AppearancesModule,
    CalendarModule,
    ReceptionModule,
    InstitutionReceptionModule,
    TimelineModule,
    IncidentsModule,
    ImportsModule,
    WebhooksModule,
  ],
})
export class AppModule {}
