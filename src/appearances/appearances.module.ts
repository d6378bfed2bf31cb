import { Module } from '@nestjs/common';
import { RiskModule } from '../risk/risk.module';
import { AppearanceReader } from './appearance-reader';
import { AppearancesController } from './appearances.controller';
import { AppearancesService } from './appearances.service';

@Module({
  imports: [RiskModule],
  controllers: [AppearancesController],
  providers: [AppearancesService, AppearanceReader],
  exports: [AppearancesService, AppearanceReader],
})
export class AppearancesModule {}
