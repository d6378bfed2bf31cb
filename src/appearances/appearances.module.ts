import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { AppearanceReader } from './appearance-reader';
import { AppearancesController } from './appearances.controller';
import { AppearancesService } from './appearances.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Appearance } from './appearance.entity';
import { AppearanceRecruiter } from './appearance-recruiter.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Appearance, AppearanceRecruiter]), RiskModule],
  controllers: [AppearancesController],
  providers: [AppearancesService, AppearanceReader],
  exports: [AppearancesService, AppearanceReader],
})
export class AppearancesModule {}
