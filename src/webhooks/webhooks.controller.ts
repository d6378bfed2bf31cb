import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../common/auth';
import { Page } from '../common/pagination';
import { IdPipe } from '../common/validation';
import {
  CreateWebhookEndpointDto,
  DeliveryPage,
  DeliveryQuery,
  DeliveryView,
  OfficeChatView,
  UpdateOfficeChatDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointList,
  WebhookEndpointView,
  WebhookSecretView,
} from './dto/webhook.dto';
import { OfficeChatService } from './office-chat.service';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhook-endpoints')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook endpoint (admin)',
    description: 'The answer carries the signing secret (whsec_…) this once; it is stored encrypted and never returned again. Deliveries are signed per Standard Webhooks.',
  })
  @ApiCreatedResponse({ type: WebhookSecretView })
  create(@Body() dto: CreateWebhookEndpointDto, @CurrentUser() actor: AuthUser): Promise<WebhookSecretView> {
    return this.webhooks.create(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Webhook endpoints (admin)', description: 'Every registered endpoint, without secrets.' })
  @ApiOkResponse({ type: WebhookEndpointList })
  async list(): Promise<WebhookEndpointList> {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint (admin)', description: 'The endpoint without its secret.' })
  @ApiOkResponse({ type: WebhookEndpointView })
  get(@Param('id', new IdPipe()) id: string): Promise<WebhookEndpointView> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook endpoint (admin)', description: 'URL, event types, active flag or description; a new URL is checked like a registration.' })
  @ApiOkResponse({ type: WebhookEndpointView })
  update(@Param('id', new IdPipe()) id: string, @Body() dto: UpdateWebhookEndpointDto, @CurrentUser() actor: AuthUser): Promise<WebhookEndpointView> {
    return this.webhooks.update(id, dto, actor);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a webhook endpoint (admin)', description: 'Deliveries not yet made are withdrawn. Answers with the endpoint as it was.' })
  @ApiOkResponse({ type: WebhookEndpointView })
  remove(@Param('id', new IdPipe()) id: string, @CurrentUser() actor: AuthUser): Promise<WebhookEndpointView> {
    return this.webhooks.remove(id, actor);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the signing secret (admin)',
    description: 'A new secret, shown once; the previous one keeps signing beside it (two webhook-signature values) until previousSecretValidUntil.',
  })
  @ApiOkResponse({ type: WebhookSecretView })
  rotate(@Param('id', new IdPipe()) id: string, @CurrentUser() actor: AuthUser): Promise<WebhookSecretView> {
    return this.webhooks.rotateSecret(id, actor);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log of an endpoint (admin)', description: 'Status, attempts, last response code, latency and a short excerpt of the answer, newest first.' })
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@Param('id', new IdPipe()) id: string, @Query() q: DeliveryQuery): Promise<Page<DeliveryView>> {
    return this.webhooks.endpointDeliveries(id, q);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deliver a dead delivery again (admin)', description: 'Back to pending with a fresh attempt budget and the same webhook-id; 409 NOT_DEAD otherwise.' })
  @ApiOkResponse({ type: DeliveryView })
  retry(@Param('id', new IdPipe()) id: string, @Param('deliveryId', new IdPipe()) deliveryId: string, @CurrentUser() actor: AuthUser): Promise<DeliveryView> {
    return this.webhooks.retryDelivery(['webhook'], id, deliveryId, actor);
  }
}

@ApiTags('chat')
@ApiBearerAuth()
@Controller('offices/:officeId/chat')
export class OfficeChatController {
  constructor(
    private readonly chat: OfficeChatService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get()
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: "An office's chat channels (admin, the office's coordinators)",
    description: 'Whether Slack and Teams are set, and their hosts (the URLs are credentials and are not returned).',
  })
  @ApiOkResponse({ type: OfficeChatView })
  get(@Param('officeId', new IdPipe()) officeId: string, @CurrentUser() actor: AuthUser): Promise<OfficeChatView> {
    return this.chat.get(officeId, actor);
  }

  @Put()
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: "Set an office's Slack and/or Teams URL (admin, the office's coordinators)",
    description: 'Escalations, unacknowledged escalations and rises to Critical are posted there too. A field left out is kept; null removes it.',
  })
  @ApiOkResponse({ type: OfficeChatView })
  update(@Param('officeId', new IdPipe()) officeId: string, @Body() dto: UpdateOfficeChatDto, @CurrentUser() actor: AuthUser): Promise<OfficeChatView> {
    return this.chat.update(officeId, dto, actor);
  }

  @Get('deliveries')
  @Roles('admin')
  @ApiOperation({ summary: "Delivery log of an office's chat posts (admin)", description: 'Slack and Teams posts: status, attempts, last response code, latency, excerpt.' })
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@Param('officeId', new IdPipe()) officeId: string, @Query() q: DeliveryQuery): Promise<Page<DeliveryView>> {
    return this.webhooks.deliveries(['slack', 'teams'], officeId, q);
  }

  @Post('deliveries/:deliveryId/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Post a dead chat delivery again (admin)', description: 'Back to pending with a fresh attempt budget; 409 NOT_DEAD otherwise.' })
  @ApiOkResponse({ type: DeliveryView })
  retry(@Param('officeId', new IdPipe()) officeId: string, @Param('deliveryId', new IdPipe()) deliveryId: string, @CurrentUser() actor: AuthUser): Promise<DeliveryView> {
    return this.webhooks.retryDelivery(['slack', 'teams'], officeId, deliveryId, actor);
  }
}
