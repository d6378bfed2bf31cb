import { ApiProperty } from '@nestjs/swagger';
import { TOPIC_RELATIONS, TOPICS } from '../../common/enums';
import { PageOf } from '../../common/pagination';
import { DEFAULT_TOPIC_RELATIONS } from '../params';
import type { ParameterSetView as ParameterSet } from '../risk-parameters.service';
import { RiskAssessmentView } from '../risk.view';

export const RiskAssessmentPage = PageOf(RiskAssessmentView, 'RiskAssessmentPage');

/** A stored (or the shipped) parameter set of the risk model, with the back-test it was judged by. */
export class ParameterSetView implements ParameterSet {
  @ApiProperty({ example: 'forewarn-risk-2.0' }) version: string;
  @ApiProperty({ description: 'In force now (none stored active: the shipped default)' }) active: boolean;
  @ApiProperty({ description: 'The set that ships with Forewarn' }) shipped: boolean;
  @ApiProperty({ description: 'Beat every baseline on its held-out back-test' }) beatsBaselines: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where the coefficients come from (data, periods, method)' })
  provenance: ParameterSet['provenance'];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The held-out verdict and figures (null if never judged)' }) report: unknown;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the shipped default' }) createdAt: string | null;
  @ApiProperty({ type: String, nullable: true }) activatedAt: string | null;
}

export class ActivationView {
  @ApiProperty({ description: 'Version in force before' }) from: string;
  @ApiProperty({ description: 'Version in force now' }) to: string;
  @ApiProperty({ type: 'integer', description: 'Upcoming appearances re-assessed' }) reassessed: number;
}

const RELATIONS_SCHEMA = {
  type: 'object',
  properties: Object.fromEntries(TOPICS.map((t) => [t, { type: 'string', enum: [...TOPIC_RELATIONS] }])),
  required: [...TOPICS],
  additionalProperties: false,
  description: 'Each incident topic with its relation to the organisation: affiliation, activity or context',
  example: { ...DEFAULT_TOPIC_RELATIONS },
} as const;

/** The topic relations: a fixed set of keys (every topic), each one of the relations. */
export class TopicRelationsView {
  static readonly schema = RELATIONS_SCHEMA;
}

export class TopicRelationsChangeView {
  @ApiProperty(RELATIONS_SCHEMA as never) relations: Record<string, string>;
  @ApiProperty({ type: 'integer', description: 'Upcoming appearances re-assessed' }) reassessed: number;
}
