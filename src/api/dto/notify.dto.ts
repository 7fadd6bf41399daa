/** Response shapes of GET /api/v1/notifiers and GET /api/v1/health-checks, for the OpenAPI document. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One notifier, without its secret. */
export class NotifierViewDto {
  @ApiProperty({ example: 'pager' }) name!: string;
  @ApiProperty({ enum: ['webhook', 'slack', 'alertmanager'] }) type!: string;
  @ApiProperty({ example: 'https://hooks.example/maintenance' }) url!: string;
  @ApiProperty({ type: [String], description: 'The events it is sent; empty for an alertmanager notifier.' }) events!: string[];
  @ApiProperty({ description: 'True when deliveries carry an HMAC signature (the secret itself is never shown).' }) signed!: boolean;
}

/** Every notifier, by name. */
export class NotifierListDto {
  @ApiProperty({ type: [NotifierViewDto] }) notifiers!: NotifierViewDto[];
}

/** One health check's last result. */
export class HealthCheckResultDto {
  @ApiProperty({ example: 'pages' }) check!: string;
  @ApiProperty({ description: 'False while it holds new activations back.' }) ok!: boolean;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [String], description: 'What fails: alerts or the query.' }) failing!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was last read; null before the first read.' }) readAt!: string | null;
  @ApiPropertyOptional({ description: 'Why it could not be read, if it could not.' }) error?: string;
}

/** Every configured check, in policy order. */
export class HealthCheckListDto {
  @ApiProperty({ type: [HealthCheckResultDto] }) checks!: HealthCheckResultDto[];
}

/** What DELETE /api/v1/notifiers/{name} answers. */
export class DeletedNotifierDto {
  @ApiProperty() success!: boolean;
  @ApiProperty({ example: 'pager' }) name!: string;
}
