/** Response shapes of the notifier routes and GET /api/v1/health-checks, for the OpenAPI document. */
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

/** What POST /api/v1/notifiers/{name}/test answers: how its one test delivery ended. */
export class NotifierTestResultDto {
  @ApiProperty({ example: 'pager' }) notifier!: string;
  @ApiProperty({ enum: ['webhook', 'slack', 'alertmanager'] }) type!: string;
  @ApiProperty({ example: 'notifier.test', description: 'What was sent: the event notifier.test to a webhook or slack notifier, the alert MaintenanceNotifierTest (resolving after 5 minutes) to an alertmanager notifier.' }) event!: string;
  @ApiProperty({ description: 'True when the receiver answered 2xx.' }) delivered!: boolean;
  @ApiProperty({ enum: ['success', 'failure', 'dropped'] }) result!: string;
  @ApiProperty({ description: 'Sends made: a test makes one, without retries.' }) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's HTTP status; null when it did not answer." }) status!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was not delivered (refused, timed out, status and body summary, host not allowed).' }) error!: string | null;
  @ApiProperty({ description: 'From queueing to the answer.' }) durationMs!: number;
}
