import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Topic, TOPICS } from '../../common/enums';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IncidentView } from '../../incidents/dto/incident.dto';
import { ReceptionEntryView } from '../../reception/dto/reception.dto';

export const TIMELINE_TYPES = ['reception', 'incident', 'appearance'] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export class TimelineQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['desc', 'asc'], default: 'desc', description: 'desc: newest first (default)' })
  @IsOptional()
  @IsIn(['desc', 'asc'])
  order?: 'desc' | 'asc';

  @ApiPropertyOptional({ enum: TOPICS, description: 'Only the incidents that have this topic (reception entries and appearances are all shown)' })
  @IsOptional()
  @IsIn(TOPICS as unknown as string[])
  topic?: Topic;
}

export class TimelineAppearance {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() kind: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ description: 'Start in the venue zone, with offset' }) startsAtLocal: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ format: 'uuid' }) officeId: string;
  @ApiProperty() disrupted: boolean;
}

export class TimelineItem {
  @ApiProperty({ enum: TIMELINE_TYPES }) type: TimelineType;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'reception: effective date; incident: occurred-at; appearance: start' }) at: string;
  @ApiPropertyOptional({ type: ReceptionEntryView }) reception?: ReceptionEntryView;
  @ApiPropertyOptional({ type: IncidentView }) incident?: IncidentView;
  @ApiPropertyOptional({ type: TimelineAppearance }) appearance?: TimelineAppearance;
}

export class TimelinePage {
  @ApiProperty({ type: [TimelineItem] }) items: TimelineItem[];
  @ApiProperty({ description: 'All items of the three kinds' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
