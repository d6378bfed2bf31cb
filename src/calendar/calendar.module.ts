import { Module } from '@nestjs/common';
import { AppearancesModule } from '../appearances/appearances.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({ imports: [AppearancesModule], controllers: [CalendarController], providers: [CalendarService], exports: [CalendarService] })
export class CalendarModule {}
